import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { allStatements, isTlsOnlyDeny, logicalId, newApp, type Statement, show } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };

/** The stack with every default, and two with an existing policy parameter, synthesised once. */
let template: Template;
let byArn: Template;
let byName: Template;
const SHARED_PARAMETER = 'arn:aws:ssm:eu-west-1:111122223333:parameter/central/eks-endpoint-guard';
const id = (type: string, prefix: string) => logicalId(template, type, prefix);
const arnOf = (logical: string) => ({ 'Fn::GetAtt': [logical, 'Arn'] });

/** The statements of the one queue policy attached to the queue `prefix`. */
function queueStatements(prefix: string): Statement[] {
  const queue = id('AWS::SQS::Queue', prefix);
  const policies = template.findResources('AWS::SQS::QueuePolicy', {
    Properties: { Queues: [{ Ref: queue }] },
  });
  const stub = { toJSON: () => ({ Resources: policies }) } as unknown as Template;
  return allStatements(stub);
}

beforeAll(() => {
  // Prepare
  const app = newApp();
  const stacks = {
    defaults: new EndpointGuardStack(app, 'Guard'),
    byArn: new EndpointGuardStack(app, 'ByArn', { policyParameter: SHARED_PARAMETER }),
    byName: new EndpointGuardStack(app, 'ByName', { policyParameter: '/platform/eks-policy' }),
  };
  // Act
  template = Template.fromStack(stacks.defaults);
  byArn = Template.fromStack(stacks.byArn);
  byName = Template.fromStack(stacks.byName);
});

const ruleOf = (t: Template, prefix: string) =>
  t.toJSON().Resources[logicalId(t, 'AWS::Events::Rule', prefix)] as Resource;

describe('queue senders (issue 10, item 4)', () => {
  test('the recheck queue refuses every principal but the function role, and still requires TLS', () => {
    // Prepare
    const role = id('AWS::IAM::Role', 'RemediatorRole');
    // Act
    const statements = queueStatements('RecheckQueue');
    // Assess
    const restriction = statements.filter((s) => s.Effect === 'Deny' && !isTlsOnlyDeny(s));
    expect(restriction).toEqual([
      expect.objectContaining({
        Principal: '*',
        Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': arnOf(role) } },
      }),
    ]);
    expect(statements.filter(isTlsOnlyDeny)).toHaveLength(1);
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test('the dead-letter queue takes messages only from the function role and the guard rules', () => {
    // Prepare
    const role = id('AWS::IAM::Role', 'RemediatorRole');
    const rules = Object.keys(template.findResources('AWS::Events::Rule')).sort();
    // Act
    const statements = queueStatements('DeadLetterQueue');
    // Assess
    const restriction = statements.filter((s) => s.Effect === 'Deny' && !isTlsOnlyDeny(s));
    expect(restriction).toHaveLength(1);
    expect(restriction[0]).toMatchObject({ Principal: '*', Action: ['sqs:SendMessage'] });
    expect(restriction[0]?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': arnOf(role), 'aws:SourceArn': rules.map(arnOf) },
    });
    // Every Allow is EventBridge for one of the guard's own rules.
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(rules.length);
    for (const allow of allows) {
      expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
      const source = (allow.Condition as { ArnEquals: { 'aws:SourceArn': unknown } }).ArnEquals[
        'aws:SourceArn'
      ];
      expect(rules.map(arnOf)).toContainEqual(source);
    }
  });

  test('no queue may redrive into the dead-letter queue', () => {
    // Act
    const queue = template.toJSON().Resources[id('AWS::SQS::Queue', 'DeadLetterQueue')] as Resource;
    // Assess
    expect(queue.Properties.RedriveAllowPolicy).toEqual({ redrivePermission: 'denyAll' });
  });

  test('nobody may send to the recheck dead-letter queue (SQS redrives into it itself)', () => {
    // Act
    const statements = queueStatements('RecheckDeadLetterQueue');
    // Assess
    const restriction = statements.filter((s) => s.Effect === 'Deny' && !isTlsOnlyDeny(s));
    expect(restriction).toEqual([expect.objectContaining({ Principal: '*', Action: ['sqs:SendMessage'] })]);
    expect(restriction[0]?.Condition).toBeUndefined();
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test("the function gets its role's unique id and ARN, to check a message's SenderId", () => {
    // Prepare
    const role = id('AWS::IAM::Role', 'RemediatorRole');
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as Resource;
    // Act
    const env = fn.Properties.Environment.Variables;
    // Assess
    expect(env.GUARD_ROLE_ID).toEqual({ 'Fn::GetAtt': [role, 'RoleId'] });
    expect(env.GUARD_ROLE_ARN).toEqual(arnOf(role));
  });
});

describe('policy changes and tag changes are events (issue 10, items 3 and 5)', () => {
  const POLICY_CALLS = ['PutParameter', 'DeleteParameter', 'DeleteParameters', 'LabelParameterVersion'];

  test('the endpoint rule also matches successful EKS TagResource and UntagResource calls', () => {
    // Act
    const pattern = ruleOf(template, 'EndpointChangeRule').Properties.EventPattern;
    // Assess
    expect(pattern.source).toEqual(['aws.eks']);
    expect(pattern.detail.eventSource).toEqual(['eks.amazonaws.com']);
    expect(pattern.detail.eventName).toEqual(expect.arrayContaining(['TagResource', 'UntagResource']));
    expect(pattern.detail.errorCode).toEqual([{ exists: false }]);
  });

  test('a rule matches successful writes of the created policy parameter, by name or ARN', () => {
    // Prepare
    const parameter = id('AWS::SSM::Parameter', 'PolicyParameter');
    const arn = `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter\${${parameter}}`;
    // Act
    const pattern = ruleOf(template, 'PolicyChangeRule').Properties.EventPattern;
    // Assess
    const names = [{ Ref: parameter }, expect.anything()];
    expect(pattern).toEqual({
      source: ['aws.ssm'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['ssm.amazonaws.com'],
        eventName: POLICY_CALLS,
        errorCode: [{ exists: false }],
        $or: [{ requestParameters: { name: names } }, { requestParameters: { names } }],
      },
    });
    expect(show(pattern.detail.$or[0].requestParameters.name[1])).toBe(arn);
  });

  test('the policy rule targets the function with retries and the dead-letter queue', () => {
    // Prepare
    const fn = id('AWS::Lambda::Function', 'Remediator');
    // Act
    const targets = ruleOf(template, 'PolicyChangeRule').Properties.Targets;
    // Assess
    expect(targets).toEqual([
      expect.objectContaining({
        Arn: arnOf(fn),
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 20 },
        DeadLetterConfig: { Arn: arnOf(id('AWS::SQS::Queue', 'DeadLetterQueue')) },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(id('AWS::Events::Rule', 'PolicyChangeRule')),
    });
  });

  test('a parameter given by ARN is matched by ARN and name, in the account that owns it', () => {
    // Act
    const pattern = ruleOf(byArn, 'PolicyChangeRule').Properties.EventPattern;
    // Assess
    const names = [SHARED_PARAMETER, '/central/eks-endpoint-guard', 'central/eks-endpoint-guard'];
    expect(pattern.account).toEqual(['111122223333']);
    expect(pattern.detail.$or).toEqual([
      { requestParameters: { name: names } },
      { requestParameters: { names } },
    ]);
  });

  test('a parameter given by name is matched by that name and its ARN in this account', () => {
    // Act
    const pattern = ruleOf(byName, 'PolicyChangeRule').Properties.EventPattern;
    // Assess
    const names = pattern.detail.$or[0].requestParameters.name;
    expect(pattern.account).toBeUndefined();
    expect(names.map(show)).toEqual([
      '/platform/eks-policy',
      `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/platform/eks-policy`,
    ]);
  });
});
