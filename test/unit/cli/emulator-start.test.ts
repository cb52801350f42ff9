import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../functions/cli/emulator';

/**
 * startEmulator's failure paths, with small stand-in executables in place of the emulator: one that
 * never answers, one that always finds its port taken. Each records its arguments.
 */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-start-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function script(name: string, body: string): { command: string; calls: () => string[] } {
  const command = join(dir, name);
  const log = join(dir, `${name}.calls`);
  writeFileSync(command, `#!/bin/sh\necho "$*" >> '${log}'\n${body}\n`);
  chmodSync(command, 0o755);
  return {
    command,
    calls: () => readFileSync(log, 'utf8').trimEnd().split('\n'),
  };
}

describe('startEmulator when the emulator does not come up', () => {
  it('gives up after the timeout and says where it waited', async () => {
    // Prepare: a process that lives on but never listens
    const { command, calls } = script('silent-emulator', 'exec sleep 30');

    // Act
    const start = startEmulator({ command, timeoutMs: 300 });

    // Assess
    await expect(start).rejects.toThrow(
      new RegExp(`^${command} did not answer on http://127\\.0\\.0\\.1:\\d+ within 0\\.3 s$`),
    );
    expect(calls()).toEqual([expect.stringMatching(/^-H 127\.0\.0\.1 -p \d+$/)]);
  });

  it('tries three free ports when the port is taken, then reports the last failure', async () => {
    // Prepare: a process that always fails to bind
    const { command, calls } = script(
      'busy-emulator',
      "echo 'OSError: [Errno 98] Address already in use' >&2\nexit 1",
    );

    // Act
    const start = startEmulator({ command, timeoutMs: 5000 });

    // Assess
    await expect(start).rejects.toThrow(
      /exited before answering on port \d+ \(exit code 1\): OSError: \[Errno 98\] Address already in use$/,
    );
    expect(calls()).toHaveLength(3);
  });
});
