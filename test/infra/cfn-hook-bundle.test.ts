import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp } from './helpers';

let outdir: string;
let bundle: string;

beforeAll(() => {
  // Prepare: real bundling with the local esbuild, as `cdk synth` does it.
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-hook-bundle-'));
  const app = newApp({ bundle: true, outdir });
  const stack = new EndpointGuardStack(app, 'Bundled', { cfnHook: true });
  // Act
  const assembly = app.synth();
  const [fn] = Object.values(
    Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CfnHookFunctionRole'), 'Arn'] } },
    }),
  );
  bundle = path.join(assembly.directory, `asset.${String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs the bundled handler on one event in a Node process of its own, as Lambda would. */
function invoke(event: unknown, env: Record<string, string>): { status: number | null; answer: unknown } {
  const script = `
    const { handler } = require(${JSON.stringify(path.join(bundle, 'index.js'))});
    handler(${JSON.stringify(event)}, { awsRequestId: 'r-1', functionName: 'hook', getRemainingTimeInMillis: () => 20000 })
      .then((answer) => process.stdout.write(JSON.stringify(answer)));`;
  const run = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
      NODE_PATH: path.join(__dirname, '..', '..', 'node_modules'),
      ...env,
    },
    encoding: 'utf8',
  });
  return { status: run.status, answer: run.stdout ? JSON.parse(run.stdout) : run.stderr };
}

test('the bundled hook answers a request it needs no AWS for, echoing the token', () => {
  // Act: another resource type, which the hook lets through without reading the policy.
  const run = invoke(
    {
      clientRequestToken: 'tok-1',
      stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/s/1',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      requestData: { targetName: 'AWS::S3::Bucket', targetType: 'AWS::S3::Bucket', targetLogicalId: 'B' },
    },
    { TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts' },
  );

  // Assess
  expect(run).toEqual({
    status: 0,
    answer: {
      hookStatus: 'SUCCESS',
      message: 'AWS::S3::Bucket is not an EKS cluster: nothing to check',
      clientRequestToken: 'tok-1',
    },
  });
}, 60_000);

test('the bundled hook answers even when it is not configured', () => {
  // Act
  const run = invoke({ clientRequestToken: 'tok-2' }, { ON_HOOK_ERROR: 'deny' });

  // Assess
  expect(run).toMatchObject({ status: 0, answer: { hookStatus: 'FAILED', errorCode: 'InternalFailure' } });
}, 60_000);

test('the hook bundle leaves out the template readers and the AWS SDK', () => {
  // Act
  const code = readFileSync(path.join(bundle, 'index.js'), 'utf8');

  // Assess: it needs the core's evaluation, not YAML or the CLI.
  expect(code).toContain('require("@aws-sdk/client-ssm")');
  expect(code).not.toContain('Unresolved tag');
  expect(code.length).toBeLessThan(400_000);
});
