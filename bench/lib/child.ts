import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { onCleanup } from './cleanup';
import { ROOT, tmpDir } from './env';

/**
 * Bundles a measurement script of bench/child/ into one CommonJS file, the way the CLI is
 * bundled (the AWS SDK left to node_modules): the measured process is plain Node with nothing
 * compiled on the fly.
 */
export function bundleChild(name: string): string {
  const outfile = join(tmpDir('child'), `${name}.cjs`);
  buildSync({
    entryPoints: [join(ROOT, 'bench', 'child', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'bundle',
    // As in the CLI bundle (scripts/cli-bundle.cjs): the AWS SDK comes from node_modules on first use.
    external: ['@aws-sdk/*', '@smithy/*'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    outfile,
  });
  return outfile;
}

export interface ChildRun<T> {
  result: T;
  /** Wall time from spawn to exit, measured by the parent. */
  wallMs: number;
  stderr: string;
}

export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  /** Killed after this long (every child is bounded). */
  timeoutMs: number;
  nodeArgs?: string[];
  /** Where the child's stdout goes: discarded unless asked for. */
  keepStdout?: boolean;
}

let runs = 0;

/**
 * Runs `node <script> <resultFile> ...args` and returns what the child wrote to resultFile as JSON.
 * The child's stdout is discarded (the handler logs there, as in Lambda); stderr is kept for errors.
 */
export function runChild<T>(script: string, args: string[], options: ChildOptions): Promise<ChildRun<T>> {
  const resultFile = join(tmpDir('results'), `${process.pid}-${runs++}.json`);
  rmSync(resultFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // `npm run bench -- --profile`: every measured process writes a V8 CPU profile.
    const profile = process.env.BENCH_CPU_PROFILE_DIR
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE_DIR]
      : [];
    const child = spawn(
      process.execPath,
      [...profile, ...(options.nodeArgs ?? []), script, resultFile, ...args],
      {
        cwd: ROOT,
        env: options.env,
        stdio: ['ignore', options.keepStdout ? 'inherit' : 'ignore', 'pipe'],
      },
    );
    const forget = onCleanup(`child ${script}`, () => {
      child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      forget();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      forget();
      if (code !== 0) {
        const why =
          signal === 'SIGKILL' ? `killed after ${options.timeoutMs / 1000} s` : `exit ${code ?? signal}`;
        reject(new Error(`${script} failed (${why}): ${stderr.trim().split('\n').slice(-8).join('\n')}`));
        return;
      }
      try {
        const result = JSON.parse(readFileSync(resultFile, 'utf8')) as T;
        rmSync(resultFile, { force: true });
        resolve({ result, wallMs, stderr });
      } catch (error) {
        reject(new Error(`${script} wrote no result: ${(error as Error).message}; ${stderr.trim()}`));
      }
    });
  });
}
