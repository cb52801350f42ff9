// `npm run emulator:install`: a project-local Python virtual environment (.venv) with the local AWS
// emulator, moto[server], which `npm run demo` and the integration tests find in .venv/bin. Each
// failure is one line that says what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const PROGRAM = 'eks-endpoint-guard';

function run(command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' });
}

function fail(line) {
  process.stderr.write(`${PROGRAM}: ${line}\n`);
  process.exit(1);
}

const python = process.env.PYTHON ?? 'python3';
const version = spawnSync(python, ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  fail(
    `${python} not found: install Python 3 (with its venv module), then run npm run emulator:install again`,
  );
}
if (!existsSync(join(venv, 'bin', 'pip'))) {
  const created = run(python, ['-m', 'venv', venv]);
  if (created.status !== 0) {
    fail(
      `${python} -m venv .venv failed: install Python's venv module (python3-venv on Debian and Ubuntu), then try again`,
    );
  }
}
const installed = run(join(venv, 'bin', 'pip'), ['install', '--quiet', 'moto[server]']);
if (installed.status !== 0) {
  fail(
    'pip could not install moto[server] into .venv: is the Python package index reachable (or a mirror set with PIP_INDEX_URL)?',
  );
}
process.stderr.write(`${PROGRAM}: .venv/bin/moto_server is ready; npm run demo and npm test find it there\n`);
