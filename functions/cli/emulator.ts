import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { EMULATOR_INSTALL_HINT, findEmulator, missingEmulatorLine } from './emulator-command';

/** A local AWS emulator (moto_server) listening on a loopback port. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL. */
  endpoint: string;
  port: number;
  pid: number;
  /** Stops the emulator; safe to call more than once. */
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** The executable; `moto_server` from PATH or the project's .venv/bin unless given. */
  command?: string;
  /** How long to wait for the first answer. */
  timeoutMs?: number;
  /** Where to look for the project's .venv/bin when not on PATH: this module's and the working directory's. */
  searchFrom?: readonly string[];
  /** Stop the emulator when this process exits or is interrupted (the demo); off for test runners. */
  stopOnExit?: boolean;
}

export { EMULATOR_INSTALL_HINT } from './emulator-command';

/** The emulator could not be started: the message is one line and says how to fix it. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port on 127.0.0.1'))));
    });
  });
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once it answers HTTP. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const command = options.command ?? findEmulator(process.env, options.searchFrom);
  if (!command) throw new EmulatorError(missingEmulatorLine());
  const timeoutMs = options.timeoutMs ?? 20_000;
  // A port can be taken between the probe and the bind: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(command, port, timeoutMs, options.stopOnExit ?? false);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

class PortTakenError extends EmulatorError {}

async function launch(
  command: string,
  port: number,
  timeoutMs: number,
  stopOnExit: boolean,
): Promise<Emulator> {
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Keep only the tail: it is for the error message when the emulator fails to start.
    stderr = (stderr + chunk).slice(-4000);
  });

  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new EmulatorError(`${command} is not installed or not on PATH: ${EMULATOR_INSTALL_HINT}`)
          : new EmulatorError(`could not start ${command}: ${error.message}`),
      );
    });
    // 'close', not 'exit': only then has all of stderr been read (it says whether the port was taken).
    child.once('close', (code, signal) => {
      const last = lastLine(stderr);
      const Kind = /address already in use/i.test(stderr) ? PortTakenError : EmulatorError;
      reject(
        new Kind(
          `${command} exited before answering on port ${port} (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`,
        ),
      );
    });
  });
  failed.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const probing = { cancelled: false };
  try {
    await Promise.race([failed, waitUntilAnswering(endpoint, timeoutMs, command, probing)]);
  } catch (error) {
    probing.cancelled = true;
    child.kill('SIGKILL');
    throw error;
  }
  child.removeAllListeners('close');
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();

  const emulator = { endpoint, port, pid: child.pid ?? 0, stop: () => stopChild(child) };
  if (stopOnExit) stopWithProcess(child);
  return emulator;
}

function waitUntilAnswering(
  endpoint: string,
  timeoutMs: number,
  command: string,
  probing: { cancelled: boolean },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const probe = () => {
      if (probing.cancelled) return;
      const req = request(`${endpoint}/moto-api/`, { method: 'GET', timeout: 1000 }, (res) => {
        res.resume();
        resolve();
      });
      req.once('error', () => {
        if (Date.now() > deadline) {
          reject(new EmulatorError(`${command} did not answer on ${endpoint} within ${timeoutMs / 1000} s`));
        } else {
          setTimeout(probe, 50);
        }
      });
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    };
    probe();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // The emulator keeps nothing worth a graceful shutdown: do not wait long for it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 500);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Ends the emulator with this process, including on Ctrl-C. */
function stopWithProcess(child: ChildProcess): void {
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killNow);
  const onSignal = (signal: NodeJS.Signals) => {
    killNow();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, onSignal);
  // Once the emulator is gone, this process keeps no handler of ours (a caller may live on).
  child.once('exit', () => {
    process.removeListener('exit', killNow);
    for (const signal of signals) process.removeListener(signal, onSignal);
  });
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1]?.slice(0, 200) ?? '';
}
