import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AlertChannels, AlertChannelsConfigError } from '../../infra/alert-channels';
import {
  existingAlertTopic,
  securityHubStatements,
  topicOwnerStatements,
} from '../../infra/alert-permissions';
import { newApp } from './helpers';

const ENV = { account: '111122223333', region: 'eu-west-1' };
const SLACK = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };
const TEAMS = {
  teamId: '11111111-2222-3333-4444-555555555555',
  tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  channelId: '19:abc123@thread.tacv2',
};

/** A stack like the guard's: an encrypted alert topic, a publisher role, and every channel option. */
function channelStack(app = newApp(), id = 'Channels') {
  const stack = new Stack(app, id, { env: ENV });
  const alertTopic = new sns.Topic(stack, 'Alerts', {
    masterKey: new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true }),
    enforceSSL: true,
  });
  const channels = new AlertChannels(stack, 'AlertChannels', {
    alertTopic,
    slack: [SLACK],
    teams: [TEAMS],
    webhooks: [
      { url: 'https://events.pager.example/integration/abc', severities: ['critical'] },
      { url: 'https://hooks.example/all' },
    ],
  });
  const publisher = new iam.Role(stack, 'Publisher', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  publisher.attachInlinePolicy(
    new iam.Policy(stack, 'PublishPolicy', { statements: channels.publishStatements() }),
  );
  return { app, stack, channels };
}

let template: Template;
let built: ReturnType<typeof channelStack>;

beforeAll(() => {
  // Prepare / Act: synthesise once for the file.
  built = channelStack();
  template = Template.fromStack(built.stack);
});

describe('AlertChannels', () => {
  it('gives chat a topic of its own, encrypted and TLS-only', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'EKS endpoint guard (chat)',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: 'eks-endpoint-guard chat alert topic',
    });
  });

  it('subscribes Slack and Teams to the chat topic only, with the read-only guardrail', () => {
    // Prepare
    const chatTopic = built.stack.resolve(built.channels.chatTopic?.topicArn);
    const readOnly = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']],
    };
    // Assess
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [chatTopic],
      GuardrailPolicies: [readOnly],
      LoggingLevel: 'ERROR',
    });
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: TEAMS.teamId,
      TeamsTenantId: TEAMS.tenantId,
      TeamsChannelId: '19%3Aabc123%40thread.tacv2',
      SnsTopicArns: [chatTopic],
      GuardrailPolicies: [readOnly],
    });
  });

  it('gives the channel role no permissions of its own', () => {
    // Prepare
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })],
        },
      },
    });
    const [roleId] = Object.keys(roles);
    // Act
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
    // Assess
    expect(Object.keys(roles)).toHaveLength(1);
    expect(roles[roleId as string]?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(policies).toEqual({});
  });

  it('subscribes webhooks to the alert topic, a pager with a filter policy on severity, with a dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://events.pager.example/integration/abc',
      FilterPolicy: { severity: ['critical'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
      TopicArn: { Ref: Match.stringLikeRegexp('^Alerts') },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'https://hooks.example/all',
      FilterPolicy: Match.absent(),
    });
  });

  it('lets a publisher publish to the chat topic and use its key, nothing more', () => {
    // Prepare
    const statements = built.stack.resolve(
      built.channels.publishStatements().map((s) => s.toStatementJson()),
    );
    // Assess
    expect(statements).toEqual([
      {
        Sid: 'PublishChatAlerts',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: built.stack.resolve(built.channels.chatTopic?.topicArn),
      },
      {
        Sid: 'UseChatAlertsKey',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: built.stack.resolve(built.channels.chatTopicKey?.keyArn),
      },
    ]);
  });

  it('creates no chat topic without a chat channel', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Plain', { env: ENV });
    // Act
    const channels = new AlertChannels(stack, 'AlertChannels', {
      alertTopic: new sns.Topic(stack, 'Alerts'),
    });
    // Assess
    expect(channels.chatTopic).toBeUndefined();
    expect(channels.publishStatements()).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  it.each([
    ['a Slack channel id', { slack: [{ workspaceId: 'T0123ABCD', channelId: '#alerts' }] }, /^slack: /],
    ['a Teams tenant', { teams: [{ ...TEAMS, tenantId: 'contoso' }] }, /^teams: /],
    ['a webhook URL', { webhooks: [{ url: 'http://insecure.example' }] }, /^webhooks: expected an https URL/],
  ])('refuses %s that cannot work, in one line', (_what, props, message) => {
    // Prepare
    const stack = new Stack(newApp(), 'Bad', { env: ENV });
    const alertTopic = new sns.Topic(stack, 'Alerts');
    let attempt = 0;
    // Act
    const build = () => new AlertChannels(stack, `AlertChannels${attempt++}`, { alertTopic, ...props });
    // Assess
    expect(build).toThrow(AlertChannelsConfigError);
    expect(build).toThrow(message);
  });
});

describe('an existing alert topic', () => {
  const ARN = 'arn:aws:sns:eu-west-1:999988887777:central-alerts';
  const KEY = 'arn:aws:kms:eu-west-1:999988887777:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

  it('is published to by ARN, with the key when it has one', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Member', { env: ENV });
    // Act
    const existing = existingAlertTopic(stack, 'Central', ARN, { keyArn: KEY });
    // Assess
    expect(existing.topic.topicArn).toBe(ARN);
    expect(existing.publishStatements().map((s) => s.toStatementJson())).toEqual([
      { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: ARN },
      { Sid: 'UseAlertsKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: KEY },
    ]);
    expect(existingAlertTopic(stack, 'Plain', ARN).publishStatements()).toHaveLength(1);
  });

  it('tells its owner what to allow', () => {
    // Act
    const owner = topicOwnerStatements(ARN, 'arn:aws:iam::111122223333:role/guard');
    // Assess
    expect(owner.topic).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::111122223333:role/guard' },
      Action: 'sns:Publish',
      Resource: ARN,
    });
    expect(owner.key).toMatchObject({
      Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
    });
  });

  it.each([
    ['not an ARN', 'central-alerts', /^alertTopicArn: expected an SNS topic ARN/],
    ['a FIFO topic', `${ARN}.fifo`, /FIFO/],
  ])('refuses %s', (_what, arn, message) => {
    // Prepare
    const stack = new Stack(newApp(), 'Member', { env: ENV });
    // Act
    const build = () => existingAlertTopic(stack, 'Central', arn);
    // Assess
    expect(build).toThrow(message);
  });

  it('refuses a key that is not a key ARN', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Member', { env: ENV });
    // Act
    const build = () => existingAlertTopic(stack, 'Central', ARN, { keyArn: 'alias/central' });
    // Assess
    expect(build).toThrow(/^alertTopicKeyArn: /);
  });
});

describe('Security Hub permissions', () => {
  it('are scoped to the default product and the hub of the account and region', () => {
    // Prepare
    const stack = new Stack(newApp(), 'Hub', { env: ENV });
    // Act
    const statements = securityHubStatements(stack, { noteControlFindings: true }).map((s) =>
      stack.resolve(s.toStatementJson()),
    );
    // Assess
    expect(statements).toEqual([
      {
        Sid: 'ImportGuardFindings',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        Resource: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      },
      {
        Sid: 'NoteControlFindings',
        Effect: 'Allow',
        Action: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
        Resource: 'arn:aws:securityhub:eu-west-1:111122223333:hub/default',
      },
    ]);
  });
});

describe('checks on a stack using AlertChannels', () => {
  it('cdk-nag AwsSolutions and Serverless report no unacknowledged finding', () => {
    // Prepare
    const { app } = channelStack(newApp(), 'Nag');
    app.synth();
    // Act
    const reports = [new AwsSolutionsChecks(app), new ServerlessChecks(app)].map((pack) =>
      pack.validateScope(app),
    );
    // Assess
    expect(reports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('cfn-lint finds no errors or warnings', () => {
    // Prepare
    const outdir = mkdtempSync(path.join(tmpdir(), 'guard-channels-lint-'));
    try {
      const file = path.join(outdir, 'channels.json');
      writeFileSync(file, JSON.stringify(template.toJSON()));
      // Act
      const run = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', file], { encoding: 'utf8' });
      // Assess
      if (run.error) throw new Error(`cfn-lint could not run (${run.error.message})`);
      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
