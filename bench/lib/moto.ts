import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../../functions/cli/emulator';
import { onCleanup } from './cleanup';
import { tmpDir } from './env';
import { cpuSecondsOf } from './proc';

export interface Moto extends Emulator {
  /** Whether CreateCluster's partition lookup is memoised (see MotoOptions). */
  fastCreateCluster: boolean;
  /** CPU seconds (user + system) the emulator has used so far. */
  cpuSeconds(): number;
  /** Peak resident memory of the emulator so far, in KiB. */
  peakRssKib(): number;
}

export interface MotoOptions {
  /**
   * CreateCluster in moto rebuilds the AWS partition list (a new boto3 Session) on every call to
   * validate the role ARN: ~80 ms of emulator CPU per cluster, so 5,000 clusters would take minutes
   * to create. With this option the emulator is started with that one lookup memoised; every other
   * code path, and every call a benchmark measures, is moto's own.
   */
  fastCreateCluster?: boolean;
}

/** Python that memoises the partition lookup of moto's EKS role ARN check, then runs moto_server. */
const FAST_CREATE = [
  'import sys',
  'import boto3',
  'import moto.eks.utils as eks_utils',
  'from moto.server import main',
  'partitions = boto3.Session().get_available_partitions()',
  'class MemoisedSession:',
  '    def get_available_partitions(self):',
  '        return partitions',
  'eks_utils.Session = MemoisedSession',
  'sys.exit(main(sys.argv[1:]))',
].join('\n');

let fastCommand: string | undefined | null = null;

/** A launcher for the memoised emulator, or undefined when python3 cannot import moto (plain moto_server then). */
function fastCreateCommand(): string | undefined {
  if (fastCommand !== null) return fastCommand;
  const probe = spawnSync('python3', ['-c', 'import boto3, moto.eks.utils, moto.server'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) {
    fastCommand = undefined;
    return undefined;
  }
  const script = join(tmpDir('moto'), 'moto-server-fast-create.sh');
  writeFileSync(script, `#!/bin/sh\nexec python3 -c '${FAST_CREATE}' "$@"\n`);
  chmodSync(script, 0o755);
  fastCommand = script;
  return script;
}

/** Starts moto_server on a free loopback port; stopped by the runner's cleanup if not before. */
export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const command = options.fastCreateCluster ? fastCreateCommand() : undefined;
  const emulator = await startEmulator({ timeoutMs: 30_000, ...(command ? { command } : {}) });
  const forget = onCleanup(`emulator on ${emulator.endpoint}`, () => emulator.stop());
  return {
    ...emulator,
    fastCreateCluster: command !== undefined,
    async stop() {
      await emulator.stop();
      forget();
    },
    cpuSeconds: () => cpuSecondsOf(emulator.pid),
    peakRssKib: () => statusField(emulator.pid, 'VmHWM'),
  };
}

function statusField(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
