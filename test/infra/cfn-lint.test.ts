import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp, WITH_CHANNELS, WITH_EXISTING_TOPIC } from './helpers';

let outdir: string;
let templates: string[];

beforeAll(() => {
  // Prepare
  outdir = mkdtempSync(path.join(tmpdir(), 'guard-cfn-lint-'));
  const app = newApp({ outdir });
  const stacks = [
    new EndpointGuardStack(app, 'Defaults'),
    new EndpointGuardStack(app, 'Everything', {
      createTrail: true,
      notificationEmails: ['ops@example.com'],
      reservedConcurrency: 10,
      policyParameter: 'arn:aws:ssm:eu-west-1:111122223333:parameter/central/eks-endpoint-guard',
    }),
    new EndpointGuardStack(app, 'Channels', WITH_CHANNELS),
    new EndpointGuardStack(app, 'CentralTopic', WITH_EXISTING_TOPIC),
  ];
  // Act
  const assembly = app.synth();
  templates = stacks.map((stack) => path.join(assembly.directory, stack.templateFile));
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('cfn-lint finds no errors or warnings in the synthesised templates', () => {
  // Prepare: W3005 flags the DependsOn that CDK adds next to a GetAtt; it is harmless.
  const args = ['--ignore-checks', 'W3005', '--', ...templates];
  // Act
  const run = spawnSync('cfn-lint', args, { encoding: 'utf8' });
  // Assess
  if (run.error)
    throw new Error(`cfn-lint could not run (${run.error.message}); install it with "pip install cfn-lint"`);
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 120_000);
