import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { allStatements, isTlsOnlyDeny, logicalId, newApp, type Statement } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };

/** The stack with every default, synthesised once for the whole file. */
let template: Template;
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
  // Act
  template = Template.fromStack(new EndpointGuardStack(app, 'Guard'));
});

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
