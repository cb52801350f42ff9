import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorError, startEmulator } from '../../../functions/cli/emulator';
import { findEmulator, missingEmulatorLine } from '../../../functions/cli/emulator-command';
import { errorLine } from '../../../functions/cli/errors';
import { withEnv } from './in-process';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An executable file at `path` (its content never runs here). */
function executable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 1\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findEmulator', () => {
  it('takes moto_server from PATH first', () => {
    // Prepare
    const onPath = executable(join(dir, 'bin', 'moto_server'));
    executable(join(dir, 'project', '.venv', 'bin', 'moto_server'));

    // Act
    const found = findEmulator({ PATH: join(dir, 'bin') }, [join(dir, 'project')]);

    // Assess
    expect(found).toBe(onPath);
  });

  it("finds it in the project's .venv/bin, from a folder inside the project", () => {
    // Prepare
    const inVenv = executable(join(dir, 'project', '.venv', 'bin', 'moto_server'));
    mkdirSync(join(dir, 'project', 'dist'), { recursive: true });

    // Act
    const found = findEmulator({ PATH: join(dir, 'empty') }, [join(dir, 'project', 'dist')]);

    // Assess
    expect(found).toBe(inVenv);
  });

  it('finds nothing when neither has it', () => {
    // Act
    const found = findEmulator({ PATH: join(dir, 'empty') }, [dir]);

    // Assess
    expect(found).toBeUndefined();
  });
});

describe('missingEmulatorLine', () => {
  it('gives the one documented command where Python is there', () => {
    // Prepare
    executable(join(dir, 'bin', 'python3'));

    // Act
    const line = missingEmulatorLine({ PATH: join(dir, 'bin') });

    // Assess
    expect(line).toBe(
      `moto_server is not installed (not on PATH, not in .venv/bin): run "npm run emulator:install" (it creates .venv here with moto[server]), or pip install 'moto[server]'`,
    );
  });

  it('says Python comes first where it is missing too', () => {
    // Act
    const line = missingEmulatorLine({ PATH: join(dir, 'empty') });

    // Assess
    expect(line).toMatch(
      /^moto_server is not installed, and it needs Python 3, which is not on PATH either: /,
    );
  });
});

describe('startEmulator without moto_server', () => {
  it('fails at once with that one line, which the demo and the tests print as it is', async () => {
    // Act
    const start = withEnv({ PATH: join(dir, 'empty') }, () => startEmulator({ searchFrom: [dir] }));

    // Assess
    const error = await start.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(errorLine(error)).toBe(`eks-endpoint-guard: ${missingEmulatorLine({ PATH: join(dir, 'empty') })}`);
  });
});
