import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../infra/stack';

export const ROOT = join(__dirname, '..');
/** Scratch space for the synthesised assembly, the worker bundle and the workers' logs (git-ignored). */
export const TMP = join(ROOT, '.storm-tmp');

export function tmpDir(...parts: string[]): string {
  const dir = join(TMP, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface DeployedFunction {
  /** The asset's index.js: the function's code exactly as `cdk synth` packages it. */
  entry: string;
  /** The function's environment from the template: plain values only (references are the deployment's). */
  environment: Record<string, string>;
  /** The function's timeout from the template, in seconds. */
  timeoutSeconds: number;
}

/**
 * Synthesises the stack as `cdk synth` does (the feature flags of cdk.json, NodejsFunction's own
 * esbuild bundling) and finds the remediator's asset, as the integration test of the bundle does.
 */
export function synthesiseFunction(): DeployedFunction {
  const outdir = tmpDir('cdk.out');
  const context = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
  const app = new App({ context, outdir });
  const stack = new EndpointGuardStack(app, 'StormGuard');
  const assembly = app.synth();
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(
    (fn) => fn.Properties?.Environment?.Variables?.AUDIT_TABLE_NAME !== undefined,
  );
  const [fn] = functions;
  if (!fn || functions.length !== 1)
    throw new Error(`expected the one remediator function, found ${functions.length}`);
  const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
  return {
    entry: join(
      assembly.directory,
      `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`,
      'index.js',
    ),
    environment: Object.fromEntries(
      Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
    timeoutSeconds: Number(fn.Properties.Timeout ?? 3),
  };
}

/**
 * The worker's main file as one CommonJS script: a worker is plain Node with nothing compiled on the
 * fly. Built by esbuild's command line in its own process, apart from the one this process may
 * already run for its own TypeScript.
 */
export function bundleWorker(): string {
  const outfile = join(tmpDir('worker'), 'worker.cjs');
  // The package's bin is esbuild's native executable once installed.
  const cli = require.resolve('esbuild/bin/esbuild');
  const built = spawnSync(
    cli,
    [
      join(ROOT, 'storm', 'worker', 'main.ts'),
      '--bundle',
      '--platform=node',
      '--target=node20',
      '--format=cjs',
      '--log-level=warning',
      `--outfile=${outfile}`,
    ],
    { encoding: 'utf8' },
  );
  if (built.status !== 0)
    throw new Error(`could not bundle the worker: ${built.stderr.trim().split('\n').pop()}`);
  return outfile;
}
