import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_POLICY_FILE, EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp, show } from './helpers';

/** The stack with every default, synthesised once for the whole file. */
let template: Template;
const id = (type: string, prefix: string) => logicalId(template, type, prefix);
const only = <T>(resources: Record<string, T>): T => {
  const values = Object.values(resources);
  if (values.length !== 1) throw new Error(`expected one resource, found ${values.length}`);
  return values[0] as T;
};
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };

beforeAll(() => {
  // Prepare
  const app = newApp();
  const stack = new EndpointGuardStack(app, 'Guard');
  // Act
  template = Template.fromStack(stack);
});

describe('endpoint change rule', () => {
  const endpointRule = () =>
    template.toJSON().Resources[id('AWS::Events::Rule', 'EndpointChangeRule')] as Resource;

  test('matches successful CreateCluster, UpdateClusterConfig, TagResource and UntagResource calls exactly', () => {
    // Prepare
    const rule = endpointRule();
    // Act
    const pattern = rule.Properties.EventPattern;
    // Assess
    expect(pattern).toEqual({
      source: ['aws.eks'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['eks.amazonaws.com'],
        eventName: ['CreateCluster', 'UpdateClusterConfig', 'TagResource', 'UntagResource'],
        errorCode: [{ exists: false }],
      },
    });
  });

  test('targets the function with a retry policy and the dead-letter queue', () => {
    // Prepare
    const rule = endpointRule();
    // Act
    const targets = rule.Properties.Targets;
    // Assess
    expect(targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [id('AWS::Lambda::Function', 'Remediator'), 'Arn'] },
        RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 20 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id('AWS::SQS::Queue', 'DeadLetterQueue'), 'Arn'] } },
      },
    ]);
  });
});

describe('sweep schedule', () => {
  test('runs every hour by default and targets the function with a DLQ', () => {
    // Prepare
    const fn = id('AWS::Lambda::Function', 'Remediator');
    // Act
    const schedules = template.findResources('AWS::Events::Rule', {
      Properties: { ScheduleExpression: Match.anyValue() },
    });
    // Assess
    expect(only(schedules)).toMatchObject({
      Properties: {
        ScheduleExpression: 'rate(1 hour)',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id('AWS::SQS::Queue', 'DeadLetterQueue'), 'Arn'] } },
            RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 },
          },
        ],
      },
    });
  });
});

describe('remediator function', () => {
  const fn = () => only(template.findResources('AWS::Lambda::Function')) as Resource;

  test('runs Node.js 22 or newer on arm64 with active tracing, 512 MB and a 5 minute timeout', () => {
    // Prepare
    const props = fn().Properties;
    // Act
    const major = Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1]);
    // Assess
    expect(major).toBeGreaterThanOrEqual(22);
    expect(props).toMatchObject({
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 300,
      Handler: 'index.handler',
    });
  });

  test('reserves no concurrency by default and lets its own recheck loop run', () => {
    // Prepare
    const props = fn().Properties;
    // Act
    const reserved = props.ReservedConcurrentExecutions;
    // Assess
    expect(reserved).toBeUndefined();
    expect(props.RecursiveLoop).toBe('Allow');
  });

  test('gets every DESIGN §5 variable, referencing the resources of the stack', () => {
    // Prepare
    const env = fn().Properties.Environment.Variables;
    // Act
    const rendered = Object.fromEntries(
      Object.entries(env).map(([key, value]) => [key, show(value as string)]),
    );
    // Assess
    expect(rendered).toEqual({
      POLICY_PARAMETER_NAME: `\${${id('AWS::SSM::Parameter', 'PolicyParameter')}}`,
      TOPIC_ARN: `\${${id('AWS::SNS::Topic', 'Alerts')}}`,
      RECHECK_QUEUE_URL: `\${${id('AWS::SQS::Queue', 'RecheckQueue')}}`,
      AUDIT_TABLE_NAME: `\${${id('AWS::DynamoDB::Table', 'AuditTable')}}`,
      DIGEST_BUCKET_NAME: `\${${id('AWS::S3::Bucket', 'DigestBucket')}}`,
      GUARD_ROLE_ARN: `\${${id('AWS::IAM::Role', 'RemediatorRole')}.Arn}`,
      GUARD_ROLE_ID: `\${${id('AWS::IAM::Role', 'RemediatorRole')}.RoleId}`,
      POLICY_CACHE_SECONDS: '60',
      RECHECK_DEADLINE_MINUTES: '120',
      FLIP_FLOP_THRESHOLD: '3',
      FLIP_FLOP_WINDOW_MINUTES: '60',
      AUDIT_RETENTION_DAYS: '0',
      SWEEP_CONCURRENCY: '64',
      RECHECK_VISIBILITY_SECONDS: '1800',
      SWEEP_SCHEDULE: 'rate(1 hour)',
      // The audit-log look-up of the clients a change cuts off (DESIGN §18), by default.
      CLIENTS_STRATEGY: 'insights',
      POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard',
      POWERTOOLS_METRICS_NAMESPACE: 'EksEndpointGuard',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  test('logs to its own log group kept for 365 days', () => {
    // Prepare
    const logGroup = id('AWS::Logs::LogGroup', 'RemediatorLogs');
    // Act
    const props = fn().Properties;
    // Assess
    expect(props.LoggingConfig).toEqual({ LogGroup: { Ref: logGroup } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('retries async invocations twice, then sends them to the dead-letter queue', () => {
    // Prepare
    const dlq = id('AWS::SQS::Queue', 'DeadLetterQueue');
    // Act
    const config = only(template.findResources('AWS::Lambda::EventInvokeConfig')) as Resource;
    // Assess
    expect(config.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 7200,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
    });
  });

  test('consumes the recheck queue with partial batch failures and bounded concurrency', () => {
    // Prepare
    const queue = id('AWS::SQS::Queue', 'RecheckQueue');
    // Act
    const mapping = only(template.findResources('AWS::Lambda::EventSourceMapping')) as Resource;
    // Assess
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('alarms', () => {
  const alarmOn = (metric: Record<string, unknown>) => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: metric });
    return only(alarms) as Resource;
  };
  const topicAction = () => [{ Ref: id('AWS::SNS::Topic', 'Alerts') }];

  test.each(['DeadLetterQueue', 'RecheckDeadLetterQueue'])(
    '%s depth above zero alerts the topic',
    (queue) => {
      // Prepare
      const queueId = id('AWS::SQS::Queue', queue);
      // Act
      const alarm = alarmOn({
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      });
      // Assess
      expect(alarm.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: topicAction(),
      });
    },
  );

  test('a function error alerts the topic', () => {
    // Prepare
    const fn = id('AWS::Lambda::Function', 'Remediator');
    // Act
    const alarm = alarmOn({ Namespace: 'AWS/Lambda', MetricName: 'Errors' });
    // Assess
    expect(alarm.Properties).toMatchObject({
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topicAction(),
    });
  });

  test('an alert that could not be published raises an alarm', () => {
    // Act
    const alarm = alarmOn({ Namespace: 'EksEndpointGuard', MetricName: 'AlertFailures' });
    // Assess
    expect(alarm.Properties).toMatchObject({
      Dimensions: [{ Name: 'service', Value: 'eks-endpoint-guard' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topicAction(),
    });
  });

  test('a failed decision alerts the topic', () => {
    // Prepare
    const metric = { Namespace: 'EksEndpointGuard', MetricName: 'Decisions' };
    // Act
    const alarm = alarmOn(metric);
    // Assess
    expect(alarm.Properties).toMatchObject({
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'eks-endpoint-guard' },
        { Name: 'outcome', Value: 'failed' },
      ]),
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topicAction(),
    });
    expect(alarm.Properties.Dimensions).toHaveLength(2);
  });
});

describe('defaults', () => {
  test('installs the default policy as a String parameter', () => {
    // Prepare
    const text = readFileSync(DEFAULT_POLICY_FILE, 'utf8');
    // Act
    const parameter = only(template.findResources('AWS::SSM::Parameter')) as Resource;
    // Assess
    expect(parameter.Properties).toMatchObject({
      Name: '/eks-endpoint-guard/policy',
      Type: 'String',
      Tier: 'Standard',
      Value: text,
    });
    expect(JSON.parse(text)).toEqual({
      version: 1,
      mode: 'enforce',
      publicAccess: 'disabled',
      privateAccess: 'required',
      exemptionTag: 'eks-endpoint-guard/exempt',
    });
  });

  test('creates no trail and no subscriptions; its one bucket is the digest bucket', () => {
    // Prepare
    const types = ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::SNS::Subscription'];
    // Act
    const counts = types.map((type) => Object.keys(template.findResources(type)).length);
    // Assess
    expect(counts).toEqual([0, 1, 0]);
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual([
      id('AWS::S3::Bucket', 'DigestBucket'),
    ]);
  });

  test('exports the topic, queue, table, parameter and function names', () => {
    // Prepare
    const expected = {
      TopicArn: { Ref: id('AWS::SNS::Topic', 'Alerts') },
      RecheckQueueUrl: { Ref: id('AWS::SQS::Queue', 'RecheckQueue') },
      AuditTableName: { Ref: id('AWS::DynamoDB::Table', 'AuditTable') },
      PolicyParameterName: { Ref: id('AWS::SSM::Parameter', 'PolicyParameter') },
      FunctionName: { Ref: id('AWS::Lambda::Function', 'Remediator') },
    };
    // Act
    const outputs = template.toJSON().Outputs;
    // Assess
    for (const [name, value] of Object.entries(expected)) expect(outputs[name]).toEqual({ Value: value });
  });
});
