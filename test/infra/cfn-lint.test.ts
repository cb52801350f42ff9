import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EndpointGuardStack } from '../../infra/stack';
import { newApp } from './helpers';

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
    new EndpointGuardStack(app, 'Channels', {
      slackChannels: [{ workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' }],
      teamsChannels: [
        {
          teamId: '00000000-0000-4000-8000-000000000001',
          channelId: '19:abc@thread.tacv2',
          tenantId: '00000000-0000-4000-8000-000000000002',
        },
      ],
      webhooks: [{ url: 'https://events.pager.example/integration/abc', severities: ['critical'] }],
      securityHub: true,
    }),
    new EndpointGuardStack(app, 'CentralTopic', {
      alertTopicArn: 'arn:aws:sns:eu-west-1:444455556666:central-alerts',
      alertTopicKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    }),
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
