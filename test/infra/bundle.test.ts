import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp } from './helpers';

let outdir: string;
let bundle: string;

beforeAll(() => {
  // Prepare: real bundling with the local esbuild, as `cdk synth` does it.
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-bundle-'));
  const app = newApp({ bundle: true, outdir });
  const stack = new EndpointGuardStack(app, 'Bundled');
  // Act
  const assembly = app.synth();
  const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0];
  const key = String(fn?.Properties.Code.S3Key);
  bundle = path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('the function bundle is minified JavaScript with a source map', () => {
  // Prepare
  const files = ['index.js', 'index.js.map'].map((file) => path.join(bundle, file));
  // Act
  const present = files.map((file) => existsSync(file));
  // Assess
  expect(present).toEqual([true, true]);
});

test('the function bundle loads and exports the handler', () => {
  // Prepare: only what the function's configuration needs; no credentials, nothing is called.
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-west-1',
    POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
    TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
    RECHECK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/recheck',
    AUDIT_TABLE_NAME: 'audit',
    POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard',
    POWERTOOLS_METRICS_NAMESPACE: 'EksEndpointGuard',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
    NODE_PATH: path.join(__dirname, '..', '..', 'node_modules'),
  };
  const script = `process.stdout.write(typeof require(${JSON.stringify(path.join(bundle, 'index.js'))}).handler)`;
  // Act
  const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], { env, encoding: 'utf8' });
  // Assess
  expect(run.stdout).toBe('function');
  expect(run.status).toBe(0);
}, 60_000);

test('the function bundle leaves the AWS SDK to the runtime and stays small', () => {
  // Prepare
  const file = path.join(bundle, 'index.js');
  // Act
  const code = readFileSync(file, 'utf8');
  // Assess: each client is required by name (from the runtime) on first use, never inlined.
  for (const client of [
    'client-eks',
    'client-ec2',
    'client-ssm',
    'client-sns',
    'client-sqs',
    'lib-dynamodb',
    'client-sts',
  ]) {
    expect(code).toContain(`require("@aws-sdk/${client}")`);
  }
  // The EC2 client alone is over 1 MB minified, and any client inlined brings @smithy/core (about
  // 200 kB) with it: 40 kB above the bundle's size (410 kB with the active-clients look-up and the
  // Japanese causes, docs/BENCHMARKS.md), the bound still proves no client was inlined.
  expect(statSync(file).size).toBeLessThan(450_000);
});

test('the function bundle keeps the Japanese alert phrases as UTF-8 text, not 6-byte escapes', () => {
  // Prepare
  const file = path.join(bundle, 'index.js');
  // Act
  const code = readFileSync(file, 'utf8');
  // Assess
  expect(code).toContain('パブリックエンドポイント');
  expect(code).not.toMatch(/\\u30d1\\u30d6/i);
});
