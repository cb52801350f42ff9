import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { EndpointGuard, GuardConfigError } from '../../infra/endpoint-guard';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp } from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };

/**
 * The logical ids of the stack as it was deployed before the construct existed: a change here
 * makes CloudFormation replace a resource (a new table, queue or key) on the next update.
 */
const DEPLOYED_LOGICAL_IDS = [
  'AlertFailuresAlarm71897F7E',
  'Alerts91F83244',
  'AlertsKey9D05DB5E',
  'AlertsPolicy425C338D',
  'AuditTableB07F8EEB',
  'DeadLetterQueue9F481546',
  'DeadLetterQueuePolicyB1FB890C',
  'DeadLettersAlarm3F8DE0AC',
  'EndpointChangeRule8A4E972A',
  'EndpointChangeRuleAllowEventRuleEksEndpointGuardRemediatorA3C23899E5A854C9',
  'FailedDecisionsAlarm98BD6453',
  'FunctionErrorsAlarm60070EC7',
  'ObservabilityChangesByActorQuery4CCE4A1F',
  'ObservabilityDashboard9A1D08B3',
  'ObservabilityFailuresAndBlocksQueryC1091903',
  'ObservabilityRemediationsQuery6EFB6985',
  'PolicyParameter64F27799',
  'RecheckDeadLetterQueueFADD5959',
  'RecheckDeadLetterQueuePolicy0B08A9C5',
  'RecheckDeadLettersAlarmB3EDB3C0',
  'RecheckQueue53AC60E1',
  'RecheckQueuePolicyA33214F2',
  'RemediatorEventInvokeConfigD22D3FD9',
  'RemediatorF10C6561',
  'RemediatorLogs6202C805',
  'RemediatorRoleA36235BE',
  'RemediatorRoleDefaultPolicy78B2BFA3',
  'RemediatorSqsEventSourceEksEndpointGuardRecheckQueue34A03F1084D935F8',
  'SweepSchedule80B1140B',
  'SweepScheduleAllowEventRuleEksEndpointGuardRemediatorA3C23899A68793BE',
];

let stack: Stack;
let template: Template;
let guard: EndpointGuard;
const id = (type: string, prefix: string) => logicalId(template, type, prefix);

beforeAll(() => {
  // Prepare: a team's own stack that holds the guard next to a resource of its own.
  const app = newApp();
  stack = new Stack(app, 'PlatformSecurity');
  new sqs.Queue(stack, 'UnrelatedQueue', { enforceSSL: true });
  // Act
  guard = new EndpointGuard(stack, 'Guard', {
    notificationEmails: ['security@example.com'],
    sweepSchedule: 'rate(30 minutes)',
    logRetentionDays: 30,
    reservedConcurrency: 20,
    auditRetentionDays: 730,
    recheckDeadlineMinutes: 60,
    createTrail: true,
  });
  template = Template.fromStack(stack);
});

describe('EndpointGuard in a team stack', () => {
  test('its resources are named under the construct id', () => {
    // Prepare
    const types = ['AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic', 'AWS::KMS::Key'];
    // Act
    const ids = types.flatMap((type) => Object.keys(template.findResources(type)));
    // Assess
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const resourceId of ids) expect(resourceId).toMatch(/^Guard[A-Z]/);
  });

  test('the non-default props reach the function, the schedule, the logs and the topic', () => {
    // Prepare
    const fn = template.toJSON().Resources[id('AWS::Lambda::Function', 'GuardRemediator')] as Resource;
    // Act
    const env = fn.Properties.Environment.Variables;
    // Assess
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(20);
    expect(env).toMatchObject({ RECHECK_DEADLINE_MINUTES: '60', AUDIT_RETENTION_DAYS: '730' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 minutes)' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
    });
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
  });

  test('its members are the resources the function is configured with', () => {
    // Prepare
    const fn = template.toJSON().Resources[id('AWS::Lambda::Function', 'GuardRemediator')] as Resource;
    const env = fn.Properties.Environment.Variables;
    // Act
    const resolved = {
      topic: stack.resolve(guard.topic.topicArn),
      queue: stack.resolve(guard.recheckQueue.queueUrl),
      table: stack.resolve(guard.table.tableName),
      parameter: stack.resolve(guard.policyParameter.name),
      role: stack.resolve(guard.role.roleArn),
    };
    // Assess
    expect(resolved).toEqual({
      topic: env.TOPIC_ARN,
      queue: env.RECHECK_QUEUE_URL,
      table: env.AUDIT_TABLE_NAME,
      parameter: env.POLICY_PARAMETER_NAME,
      role: env.GUARD_ROLE_ARN,
    });
    expect(guard.trail).toBeDefined();
    expect(guard.alarms.length).toBeGreaterThan(0);
  });

  test('creates no stack outputs: those belong to the stack that holds it', () => {
    // Act
    const outputs = template.toJSON().Outputs ?? {};
    // Assess
    expect(outputs).toEqual({});
  });

  test('cdk-nag reports nothing unacknowledged under another construct id', () => {
    // Prepare
    const packs = [new AwsSolutionsChecks(stack), new ServerlessChecks(stack)];
    // Act
    const violations = packs.flatMap((pack) => pack.validateScope(guard).violations);
    // Assess
    expect(violations).toEqual([]);
  });

  test('invalid props fail with the one-line configuration error', () => {
    // Prepare
    const scope = new Stack(newApp(), 'Invalid');
    // Act
    const error = (() => {
      try {
        new EndpointGuard(scope, 'Guard', { reservedConcurrency: 3 });
      } catch (caught) {
        return caught;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(GuardConfigError);
    expect((error as Error).message).toMatch(/^reservedConcurrency 3: must be above 5/);
  });

  test('digestRetentionDays sets how long each digest is locked, within 1 to 36500', () => {
    // Prepare
    const scope = new Stack(newApp(), 'Retention');
    // Act
    new EndpointGuard(scope, 'Guard', { digestRetentionDays: 2555 });
    const invalid = () => new EndpointGuard(new Stack(newApp(), 'Bad'), 'Guard', { digestRetentionDays: 0 });
    // Assess
    Template.fromStack(scope).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
    });
    expect(invalid).toThrow(
      new GuardConfigError('digestRetentionDays 0: expected an integer from 1 to 36500'),
    );
  });
});

describe('EndpointGuardStack', () => {
  test('keeps every logical id of the deployed stack, so an update changes resources in place', () => {
    // Prepare
    const app = newApp();
    // Act
    const deployed = Template.fromStack(new EndpointGuardStack(app, 'EksEndpointGuard'));
    // Assess
    const ids = Object.keys(deployed.toJSON().Resources).filter((key) => key !== 'CDKMetadata');
    // New resources may be added; none of the deployed ones may disappear or be renamed.
    expect(ids).toEqual(expect.arrayContaining(DEPLOYED_LOGICAL_IDS));
    expect(Object.keys(deployed.toJSON().Outputs).sort()).toEqual([
      'AuditTableName',
      'DashboardName',
      'DigestBucketName',
      'FunctionName',
      'GuardVersion',
      'PolicyParameterName',
      'RecheckQueueUrl',
      'TopicArn',
    ]);
    expect(deployed.toJSON().Outputs.FunctionName.Value).toEqual({ Ref: 'RemediatorF10C6561' });
  });
});
