import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AlertChannelsConfigError } from '../../../infra/alert-channels';
import { CentralStack } from '../../../infra/org/central-stack';
import { OrgConfigError } from '../../../infra/org/config';
import { logicalId, newApp, roleGrants } from '../helpers';
import { lint, ORG_CONTEXT, orgApp, templateOf } from './support';

const ORG = 'o-a1b2c3d4e5';
const SLACK = { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' };
const TEAMS = {
  teamId: '11111111-2222-3333-4444-555555555555',
  channelId: '19:abc123@thread.tacv2',
  tenantId: '66666666-7777-8888-9999-000000000000',
};
let stack: CentralStack;
let template: Template;

beforeAll(() => {
  // Prepare
  stack = new CentralStack(newApp(), 'Central', {
    regions: ['us-east-1', 'eu-west-1'],
    organizationId: ORG,
    slack: [SLACK],
    teams: [TEAMS],
  });
  // Act
  template = Template.fromStack(stack);
}, 120_000);

describe('central stack with chat channels', () => {
  test('Slack and Teams channels read the central chat topic, read-only, not the alert topic', () => {
    // Prepare
    const chatTopic = { Ref: logicalId(template, 'AWS::SNS::Topic', 'ChatChatTopic') };
    // Assess
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: SLACK.workspaceId,
      SlackChannelId: SLACK.channelId,
      SnsTopicArns: [chatTopic],
      GuardrailPolicies: [
        Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/ReadOnlyAccess'])] }),
      ],
    });
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: TEAMS.teamId,
      TeamsChannelId: '19%3Aabc123%40thread.tacv2',
      SnsTopicArns: [chatTopic],
    });
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasOutput('ChatTopicArn', { Value: chatTopic });
  });

  test('the chat topic shares the central alert key: no second key to pay for', () => {
    // Assess
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'EKS endpoint guard (chat)',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'AlertsKey'), 'Arn'] },
    });
  });

  test('decisions reach the alert topic, the recorder and the notifier as three separate targets', () => {
    // Act
    const rules = Object.values(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: Match.objectLike({ 'detail-type': ['EKS Endpoint Guard Decision'] }) },
      }),
    );
    const sweeps = Object.values(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: Match.objectLike({ 'detail-type': ['EKS Endpoint Guard Sweep'] }) },
      }),
    );
    // Assess: the readable ones (a rule of their own) reach the alert topic too
    expect(rules).toHaveLength(2);
    const arns = rules.flatMap((rule) =>
      rule.Properties.Targets.map((t: { Arn: unknown }) => JSON.stringify(t.Arn)),
    );
    expect(arns).toEqual([
      expect.stringContaining('Recorder'),
      expect.stringContaining('Notifier'),
      expect.stringContaining('Alerts'),
    ]);
    for (const target of rules.flatMap((rule) => rule.Properties.Targets))
      expect(target.DeadLetterConfig).toBeDefined();
    expect(JSON.stringify(sweeps[0]?.Properties.Targets)).not.toContain('Notifier');
  });

  test('the notifier may publish to the chat topic only; the recorder to the alert topic only (its hourly notices)', () => {
    // Prepare
    const chatTopic = `\${${logicalId(template, 'AWS::SNS::Topic', 'ChatChatTopic')}}`;
    const key = `\${${logicalId(template, 'AWS::KMS::Key', 'AlertsKey')}.Arn}`;
    // Act
    const notifier = roleGrants(template, logicalId(template, 'AWS::IAM::Role', 'NotifierRole'));
    const recorder = roleGrants(template, logicalId(template, 'AWS::IAM::Role', 'RecorderRole'));
    // Assess
    expect(notifier['sns:Publish']).toEqual([chatTopic]);
    expect(notifier['kms:GenerateDataKey']).toEqual([key]);
    // The notice gate is an item of the table: the notifier writes it and reads nothing.
    expect(Object.keys(notifier).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:PutItem']);
    const alertTopic = `\${${logicalId(template, 'AWS::SNS::Topic', 'Alerts')}}`;
    expect(recorder['sns:Publish']).toEqual([alertTopic]);
    expect(recorder['kms:GenerateDataKey']).toEqual([key]);
  });

  test('a failed publish is retried by Lambda and then kept in the central dead-letter queue', () => {
    // Prepare
    const notifier = logicalId(template, 'AWS::Lambda::Function', 'Notifier');
    const deadLetters = logicalId(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.notify',
      Environment: {
        Variables: Match.objectLike({
          CENTRAL_CHAT_TOPIC_ARN: { Ref: logicalId(template, 'AWS::SNS::Topic', 'ChatChatTopic') },
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: notifier },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetters, 'Arn'] } } },
    });
  });

  test('the function errors alarm counts the notifier too', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'recorder + watchdog + notifier' })]),
    });
  });

  test('cdk-nag AwsSolutions and Serverless report nothing unacknowledged', () => {
    // Act
    const violations = [new AwsSolutionsChecks(stack), new ServerlessChecks(stack)].flatMap(
      (pack) => pack.validateScope(stack).violations,
    );
    // Assess
    expect(violations).toEqual([]);
  });

  test('without channels: no chat topic, no notifier', () => {
    // Act
    const plain = Template.fromStack(
      new CentralStack(newApp(), 'Plain', { regions: ['us-east-1', 'eu-west-1'], organizationId: ORG }),
    );
    // Assess
    expect(Object.keys(plain.findResources('AWS::Chatbot::SlackChannelConfiguration'))).toEqual([]);
    expect(
      Object.keys(plain.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.notify' } })),
    ).toEqual([]);
    plain.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('a channel id that cannot work is refused in one line', () => {
    // Act / Assess
    expect(
      () =>
        new CentralStack(newApp(), 'Bad', {
          regions: ['us-east-1', 'eu-west-1'],
          organizationId: ORG,
          slack: [{ workspaceId: 'T0123ABCD', channelId: '#security' }],
        }),
    ).toThrow(AlertChannelsConfigError);
  });
});

describe('central chat channels from the org app context', () => {
  test('-c centralSlackChannels and centralTeamsChannels configure the central stack', () => {
    // Act
    const central = templateOf(
      orgApp({
        ...ORG_CONTEXT,
        centralSlackChannels: 'T0123ABCD/C0123ABCD,T0123ABCD/C9999ZZZZ',
        centralTeamsChannels: `${TEAMS.teamId}/${TEAMS.channelId}/${TEAMS.tenantId}`,
      }),
      'EksEndpointGuardCentral',
    );
    // Assess
    central.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 2);
    central.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { SlackChannelId: 'C9999ZZZZ' });
    central.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamsTenantId: TEAMS.tenantId,
    });
  });

  test('an array of channel objects from cdk.json works too', () => {
    // Act
    const central = templateOf(
      orgApp({ ...ORG_CONTEXT, centralSlackChannels: [SLACK] }),
      'EksEndpointGuardCentral',
    );
    // Assess
    central.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
  });

  test.each([['T0123ABCD'], ['T0123ABCD/'], ['a/b/c']])(
    'a Slack channel "%s" is refused in one line',
    (value) => {
      // Act / Assess
      expect(() => orgApp({ ...ORG_CONTEXT, centralSlackChannels: value })).toThrow(OrgConfigError);
    },
  );
});

describe('central stack with chat channels, as synthesised', () => {
  let outdir: string;
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('cfn-lint finds nothing in it but the known dashboard-tags gap', () => {
    // Prepare
    outdir = mkdtempSync(path.join(tmpdir(), 'guard-central-chat-'));
    const app = orgApp(
      {
        ...ORG_CONTEXT,
        centralSlackChannels: 'T0123ABCD/C0123ABCD',
        centralTeamsChannels: `${TEAMS.teamId}/${TEAMS.channelId}/${TEAMS.tenantId}`,
      },
      { outdir, asSynthesised: true },
    );
    const dir = app.synth().directory;
    const central = readdirSync(dir)
      .filter((f) => f.startsWith('EksEndpointGuardCentral') && f.endsWith('.template.json'))
      .map((f) => path.join(dir, f));
    // Act
    const findings = lint(central);
    // Assess
    expect(central).toHaveLength(1);
    expect(findings).toEqual([]);
  }, 120_000);
});
