import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * Where the local AWS emulator (moto_server, a Python program) is: on PATH, or in the project's own
 * virtual environment that `npm run emulator:install` creates (.venv/bin). When it is in neither,
 * one line says how to get it, and whether Python, which it needs, is there at all.
 */
export const EMULATOR = 'moto_server';
export const EMULATOR_INSTALL_COMMAND = 'npm run emulator:install';
/** What to run when the emulator is missing (the project-local way first). */
export const EMULATOR_INSTALL_HINT = `run "${EMULATOR_INSTALL_COMMAND}" (it creates .venv here with moto[server]), or pip install 'moto[server]'`;

/** The emulator's executable: PATH first, then .venv/bin of the project; undefined when neither has it. */
export function findEmulator(
  env: NodeJS.ProcessEnv = process.env,
  from: readonly string[] = starts(),
): string | undefined {
  return onPath(EMULATOR, env) ?? projectVenv(from);
}

/** The one line for a missing emulator: how to install it, or first Python when that is missing too. */
export function missingEmulatorLine(env: NodeJS.ProcessEnv = process.env): string {
  if (!onPath('python3', env)) {
    return `${EMULATOR} is not installed, and it needs Python 3, which is not on PATH either: install Python 3 (with its venv module), then ${EMULATOR_INSTALL_HINT}`;
  }
  return `${EMULATOR} is not installed (not on PATH, not in .venv/bin): ${EMULATOR_INSTALL_HINT}`;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** .venv/bin/moto_server in the first directory, up from each start, that has one. */
function projectVenv(from: readonly string[]): string | undefined {
  for (const start of from) {
    let dir = resolve(start);
    for (let depth = 0; depth < 6; depth++) {
      const candidate = join(dir, '.venv', 'bin', EMULATOR);
      if (executable(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** From the source or the bundle in dist/, and from where the command runs. */
function starts(): string[] {
  return [__dirname, process.cwd()];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
