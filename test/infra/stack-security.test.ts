import { Match, Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { allStatements, isTlsOnlyDeny, logicalId, newApp, QUEUE_WRITER_DENIES, roleGrants } from './helpers';

/** The stack with every default, synthesised once for the whole file: who may do what, and encryption. */
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

describe('least privilege', () => {
  test('the function role is granted exactly the listed actions on the listed resources', () => {
    // Prepare
    const ref = (type: string, prefix: string) => `\${${id(type, prefix)}}`;
    const arn = (type: string, prefix: string) => `\${${id(type, prefix)}.Arn}`;
    const table = arn('AWS::DynamoDB::Table', 'AuditTable');
    const recheck = arn('AWS::SQS::Queue', 'RecheckQueue');
    const dlq = arn('AWS::SQS::Queue', 'DeadLetterQueue');
    const clusters = `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/*`;
    const parameter = `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${ref('AWS::SSM::Parameter', 'PolicyParameter')}`;
    const key = arn('AWS::KMS::Key', 'AlertsKey');
    const logs = arn('AWS::Logs::LogGroup', 'RemediatorLogs');
    const auditLogs = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/eks/*/cluster`;
    // Act
    const grants = roleGrants(template, id('AWS::IAM::Role', 'RemediatorRole'));
    // Assess
    expect(grants).toEqual({
      'dynamodb:PutItem': [table],
      'cloudtrail:LookupEvents': ['*'],
      'dynamodb:Query': [table],
      'ec2:DescribeDhcpOptions': ['*'],
      'ec2:DescribeSubnets': ['*'],
      'ec2:DescribeVpcs': ['*'],
      'ec2:DescribeVpcAttribute': ['*'],
      'eks:DescribeCluster': [clusters],
      'eks:DescribeUpdate': [clusters],
      'eks:ListClusters': ['*'],
      'eks:UpdateClusterConfig': [clusters],
      'kms:Decrypt': [key],
      'kms:GenerateDataKey': [key],
      'logs:CreateLogStream': [logs],
      // The clusters' audit logs, read before a change that cuts access (DESIGN §18).
      'logs:GetQueryResults': [auditLogs, `${auditLogs}:*`],
      'logs:PutLogEvents': [logs],
      'logs:StartQuery': [auditLogs, `${auditLogs}:*`],
      'logs:StopQuery': ['*'],
      'sns:Publish': [ref('AWS::SNS::Topic', 'Alerts')],
      'sqs:SendMessage': [dlq, recheck].sort(),
      'ssm:GetParameter': [parameter],
      'ssm:GetParameterHistory': [parameter],
      // Added by CDK for the recheck event source mapping.
      'sqs:ChangeMessageVisibility': [recheck],
      'sqs:DeleteMessage': [recheck],
      'sqs:GetQueueAttributes': [recheck],
      'sqs:GetQueueUrl': [recheck],
      'sqs:ReceiveMessage': [recheck],
      // Added by CDK for active tracing; X-Ray has no resource-level permissions.
      'xray:PutTelemetryRecords': ['*'],
      'xray:PutTraceSegments': ['*'],
    });
  });

  test('the function role has no managed or inline policies', () => {
    // Prepare
    const role = id('AWS::IAM::Role', 'RemediatorRole');
    // Act
    const props = (template.toJSON().Resources[role] as Resource).Properties;
    // Assess
    expect(props.ManagedPolicyArns).toBeUndefined();
    expect(props.Policies).toBeUndefined();
  });

  test('no Allow statement anywhere has a wildcard action', () => {
    // Prepare
    const statements = allStatements(template).filter((s) => s.Effect === 'Allow');
    // Act
    const wildcards = statements.filter((s) => s.Action.some((action) => action.includes('*')));
    // Assess
    expect(wildcards).toEqual([]);
  });

  test('the alert key policy lets the account administer the key without kms:*', () => {
    // Prepare
    const key = id('AWS::KMS::Key', 'AlertsKey');
    // Act
    const statements = allStatements(template).filter((s) => s.where.startsWith(key));
    // Assess
    const account = statements.find((s) => JSON.stringify(s.Principal).includes(':root'));
    expect(account?.Action).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:Decrypt']),
    );
    expect(account?.Action).not.toContain('kms:*');
  });

  test('Deny statements, which may use wildcards, refuse requests without TLS or lock the queues', () => {
    // Prepare
    const statements = allStatements(template);
    // Act
    const denies = statements.filter((s) => s.Effect === 'Deny' && !isTlsOnlyDeny(s));
    // Assess: a wider Deny is stricter, so `sqs:*` here is the point, not a grant.
    expect(denies.map((s) => s.Sid).sort()).toEqual([...QUEUE_WRITER_DENIES].sort());
  });

  test('eks:UpdateClusterConfig is never allowed on every resource', () => {
    // Prepare
    const statements = allStatements(template).filter((s) => s.Effect === 'Allow');
    // Act
    const updating = statements.filter((s) =>
      s.Action.some((action) => ['eks:UpdateClusterConfig', 'eks:*', '*'].includes(action)),
    );
    // Assess
    expect(updating.length).toBeGreaterThan(0);
    for (const statement of updating) expect(statement.Resource).not.toContain('*');
  });
});

describe('encryption in transit and at rest', () => {
  test('the topic is encrypted with a rotating customer managed key that alarms may use', () => {
    // Prepare
    const key = id('AWS::KMS::Key', 'AlertsKey');
    // Act
    const topic = only(template.findResources('AWS::SNS::Topic')) as Resource;
    // Assess
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  test('the topic refuses publishing without TLS', () => {
    // Prepare
    const topic = id('AWS::SNS::Topic', 'Alerts');
    // Act
    const policy = only(template.findResources('AWS::SNS::TopicPolicy')) as Resource;
    // Assess
    expect(policy.Properties.Topics).toEqual([{ Ref: topic }]);
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('every queue is encrypted and refuses requests without TLS', () => {
    // Prepare
    const queues = template.findResources('AWS::SQS::Queue');
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Resource[];
    // Act
    const tlsEnforced = (queueId: string) =>
      policies.some(
        (policy) =>
          JSON.stringify(policy.Properties.Queues) === JSON.stringify([{ Ref: queueId }]) &&
          policy.Properties.PolicyDocument.Statement.some(
            (s: { Effect: string; Action: string; Condition?: unknown }) =>
              s.Effect === 'Deny' &&
              s.Action === 'sqs:*' &&
              JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      );
    // Assess
    expect(Object.keys(queues)).toHaveLength(3);
    for (const [queueId, queue] of Object.entries(queues) as [string, Resource][]) {
      expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId).toBeTruthy();
      expect(tlsEnforced(queueId)).toBe(true);
    }
  });

  test('the recheck queue redrives to its own DLQ and hides messages for six function timeouts', () => {
    // Prepare
    const dlq = id('AWS::SQS::Queue', 'RecheckDeadLetterQueue');
    // Act
    const queue = template.toJSON().Resources[id('AWS::SQS::Queue', 'RecheckQueue')] as Resource;
    // Assess
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 300);
  });

  test('the audit table is encrypted, recoverable, protected and retained', () => {
    // Prepare
    const tableId = id('AWS::DynamoDB::Table', 'AuditTable');
    // Act
    const table = template.toJSON().Resources[tableId];
    // Assess
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    });
  });

  test('the audit table has the byDay and byOutcome indexes', () => {
    // Prepare
    const tableId = id('AWS::DynamoDB::Table', 'AuditTable');
    // Act
    const indexes = (template.toJSON().Resources[tableId] as Resource).Properties.GlobalSecondaryIndexes;
    // Assess
    expect(indexes).toEqual([
      {
        IndexName: 'byDay',
        KeySchema: [
          { AttributeName: 'day', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'byOutcome',
        KeySchema: [
          { AttributeName: 'outcome', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });
});
