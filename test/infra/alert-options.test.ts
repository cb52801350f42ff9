import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { propsFromContext } from '../../infra/app';
import { EndpointGuardStack, type EndpointGuardStackProps } from '../../infra/stack';
import { newApp, WITH_CHANNELS, WITH_EXISTING_TOPIC } from './helpers';

/** The alert stack options of the EndpointGuard construct (DESIGN §10), on one synthesis each. */
const ENV = { account: '111122223333', region: 'eu-west-1' };
const CENTRAL_TOPIC = WITH_EXISTING_TOPIC.alertTopicArn as string;
const CENTRAL_KEY = WITH_EXISTING_TOPIC.alertTopicKeyArn as string;
const EVERY_CHANNEL = WITH_CHANNELS;

function synth(props: EndpointGuardStackProps): Template {
  return Template.fromStack(new EndpointGuardStack(newApp(), 'Guard', { env: ENV, ...props }));
}

function roleStatements(template: Template): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement,
  );
}

function environment(template: Template): Record<string, unknown> {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler', Environment: Match.objectLike({}) },
    }),
  );
  return fn?.Properties.Environment.Variables ?? {};
}

describe('alert options on', () => {
  let template: Template;
  beforeAll(() => {
    template = synth(EVERY_CHANNEL);
  });

  it('creates the chat topic, the Slack and Teams channels with a read-only guardrail', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      GuardrailPolicies: [
        Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::aws:policy/ReadOnlyAccess'])]),
        }),
      ],
    });
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamsChannelId: '19%3Aabc%40thread.tacv2',
    });
  });

  it('tells the function the chat topic and turns Security Hub on', () => {
    // Act
    const env = environment(template);
    // Assess
    expect(env.CHAT_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/^AlertChannelsChatTopic/) });
    expect(env.SECURITY_HUB).toBe('true');
  });

  it('grants publish on the chat topic and BatchImportFindings on the default product only', () => {
    // Act
    const statements = roleStatements(template);
    // Assess
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'PublishChatAlerts',
        Action: 'sns:Publish',
        Resource: { Ref: expect.stringMatching(/^AlertChannelsChatTopic/) },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'ImportGuardFindings',
        Action: 'securityhub:BatchImportFindings',
        Resource: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      }),
    );
    expect(JSON.stringify(statements)).not.toMatch(/securityhub:(GetFindings|BatchUpdateFindings|\*)/);
  });

  it('subscribes the webhook to the alert topic for critical alerts only', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://events.pager.example/integration/abc',
      FilterPolicy: { severity: ['critical'] },
    });
  });
});

describe('alert options off (the default)', () => {
  it('adds no chat topic, no Security Hub permission and no setting for them', () => {
    // Act
    const template = synth({});
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    expect(environment(template)).not.toHaveProperty('CHAT_TOPIC_ARN');
    expect(environment(template)).not.toHaveProperty('SECURITY_HUB');
    expect(JSON.stringify(roleStatements(template))).not.toMatch(/securityhub:/);
  });
});

describe('alertTopicArn', () => {
  it('publishes into the existing topic, with its key, and creates no topic of its own', () => {
    // Act
    const template = synth({ alertTopicArn: CENTRAL_TOPIC, alertTopicKeyArn: CENTRAL_KEY });
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(environment(template).TOPIC_ARN).toBe(CENTRAL_TOPIC);
    const statements = roleStatements(template);
    expect(statements).toContainEqual(
      expect.objectContaining({ Sid: 'PublishAlerts', Action: 'sns:Publish', Resource: CENTRAL_TOPIC }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Sid: 'UseAlertsKey', Resource: CENTRAL_KEY }),
    );
  });

  it('grants no key use for a topic without a customer managed key', () => {
    // Act
    const template = synth({ alertTopicArn: CENTRAL_TOPIC });
    // Assess
    expect(roleStatements(template).map((s) => s.Sid)).not.toContain('UseAlertsKey');
  });

  it.each([
    [{ alertTopicArn: CENTRAL_TOPIC, notificationEmails: ['ops@example.com'] }, /exclude each other/],
    [{ alertTopicKeyArn: CENTRAL_KEY }, /needs alertTopicArn/],
    [{ alertTopicArn: 'arn:aws:sqs:eu-west-1:111122223333:q' }, /^alertTopicArn: expected an SNS topic ARN/],
  ])('refuses %j', (props, message) => {
    // Act
    const build = () => new EndpointGuardStack(newApp(), 'Guard', { env: ENV, ...props });
    // Assess
    expect(build).toThrow(message);
  });
});

describe('context values', () => {
  it('read the alert options from -c strings', () => {
    // Prepare
    const context = {
      slackChannels: '[{"workspaceId":"T0123ABCD","channelId":"C0123ABCD"}]',
      webhooks: '[{"url":"https://events.pager.example/x","severities":["critical"]}]',
      securityHub: 'true',
      alertTopicArn: CENTRAL_TOPIC,
      alertTopicKeyArn: CENTRAL_KEY,
    };
    // Act
    const props = propsFromContext(new App({ context }).node);
    // Assess
    expect(props).toMatchObject({
      slackChannels: [{ workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' }],
      webhooks: [{ url: 'https://events.pager.example/x', severities: ['critical'] }],
      securityHub: true,
      alertTopicArn: CENTRAL_TOPIC,
      alertTopicKeyArn: CENTRAL_KEY,
    });
  });

  it('name the value that is not a JSON array', () => {
    // Act
    const read = () => propsFromContext(new App({ context: { teamsChannels: '{oops' } }).node);
    // Assess
    expect(read).toThrow('context teamsChannels: not a valid JSON array');
  });
});
