import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createCluster } from '../../functions/cli/sandbox';
import type { HandlerResponse } from '../../functions/guard/process-event';
import { EndpointGuardStack } from '../../infra/stack';
import { auditRecords, createWorld, endpointOf, sampleEvent, type World } from './support';

/**
 * The function exactly as it is deployed: the stack is synthesised (CDK runs its own esbuild
 * bundling), and the asset's index.js is loaded in a fresh Node process with the function's
 * environment from the template, pointed at the emulator. A bundling mistake fails here.
 */
const POLICY = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };
const GUARD_ROLE_ARN = 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator';

let world: World;
let outdir: string;
let assetDir: string;
let functionEnv: Record<string, string>;

beforeAll(async () => {
  world = await createWorld('lam', POLICY);
  outdir = mkdtempSync(join(tmpdir(), 'guard-lambda-'));
  // `cdk synth` reads the feature flags from cdk.json; a bare App does not.
  const context = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  const app = new App({ context, outdir });
  const stack = new EndpointGuardStack(app, 'IntegrationBundle');
  const assembly = app.synth();
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(
    (fn) => fn.Properties?.Environment?.Variables?.AUDIT_TABLE_NAME !== undefined,
  );
  const [fn] = functions;
  if (!fn || functions.length !== 1) {
    throw new Error(`expected the one remediator function, found ${functions.length}`);
  }
  expect(fn.Properties.Handler).toBe('index.handler');
  assetDir = join(assembly.directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  // The template's plain values as they are; references replaced by the emulator's resources.
  const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
  functionEnv = Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  Object.assign(functionEnv, world.env, { GUARD_ROLE_ARN, POWERTOOLS_LOG_LEVEL: 'WARN' });
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

interface Invocation {
  code: number | null;
  response?: HandlerResponse;
  error?: string;
  stderr: string;
}

/** Calls the bundle's handler once in a child process with a fake Lambda context. */
function invokeBundle(event: unknown): Promise<Invocation> {
  const work = mkdtempSync(join(tmpdir(), 'guard-invoke-'));
  const eventFile = join(work, 'event.json');
  const outFile = join(work, 'response.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const script = `
    const fs = require('node:fs');
    const { handler } = require(${JSON.stringify(join(assetDir, 'index.js'))});
    const context = {
      functionName: 'eks-endpoint-guard-remediator',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:eks-endpoint-guard-remediator',
      memoryLimitInMB: '512',
      awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
      logGroupName: '/aws/lambda/eks-endpoint-guard-remediator',
      logStreamName: '2025/06/03/[$LATEST]0123456789abcdef',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => 300000,
      done() {}, fail() {}, succeed() {},
    };
    const event = JSON.parse(fs.readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
    Promise.resolve(handler(event, context)).then(
      (response) => fs.writeFileSync(${JSON.stringify(outFile)}, JSON.stringify({ response })),
      (error) => {
        fs.writeFileSync(${JSON.stringify(outFile)}, JSON.stringify({ error: String(error && error.stack || error) }));
        process.exitCode = 1;
      },
    );`;
  const env = {
    PATH: process.env.PATH,
    ...functionEnv,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: world.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
    NODE_PATH: join(__dirname, '..', '..', 'node_modules'),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      let output: { response?: HandlerResponse; error?: string } = {};
      try {
        output = JSON.parse(readFileSync(outFile, 'utf8'));
      } catch {
        output = { error: 'the handler wrote no response' };
      }
      rmSync(work, { recursive: true, force: true });
      resolve({ code, stderr, ...output });
    });
  });
}

describe('the deployed Lambda bundle against the emulator', () => {
  test('an UpdateClusterConfig event opening a cluster to the world is remediated', async () => {
    // Prepare
    const cluster = world.name('prod');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.inbox.drain();
    // Act
    const run = await invokeBundle(sampleEvent('update-config-open-world.json', cluster));
    // Assess
    expect({ code: run.code, error: run.error }).toEqual({ code: 0, error: undefined });
    expect(run.response?.batchItemFailures).toEqual([]);
    expect(run.response?.results.map((r) => [r.cluster, r.outcome])).toEqual([[cluster, 'remediated']]);
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['remediated']);
    expect((await world.inbox.drain()).map((a) => a.attributes.outcome)).toEqual(['remediated']);
  }, 60_000);

  test('an SQS batch with a broken message reports it as a batch item failure', async () => {
    // Prepare
    const cluster = world.name('queued');
    await createCluster(world.clients.eks, {
      name: cluster,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: false, privateAccess: true },
    });
    const batch = sampleEvent('recheck-message.json', cluster) as { Records: Record<string, unknown>[] };
    const good = batch.Records[0];
    const broken = { ...good, messageId: 'broken-1', body: '{"kind": "something else"}' };
    // Act
    const run = await invokeBundle({ Records: [good, broken] });
    // Assess
    expect(run.code).toBe(0);
    expect(run.response?.results.map((r) => r.outcome)).toEqual(['compliant', 'failed']);
    expect(run.response?.results[0]?.cluster).toBe(cluster);
  }, 60_000);
});
