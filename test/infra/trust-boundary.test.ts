import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { allStatements, isTlsOnlyDeny, logicalId, newApp, roleGrants, type Statement, show } from './helpers';

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
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:PurgeQueue',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
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
    const restriction = statements.filter(
      (s) => s.Effect === 'Deny' && !isTlsOnlyDeny(s) && s.Sid === 'OnlyTheGuardRoleAndRulesSendHere',
    );
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
    const restriction = statements.filter((s) => s.Effect === 'Deny' && s.Sid === 'NobodySendsHere');
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

describe('least privilege for the new calls, and keys (issue 10, item 13)', () => {
  const role = () => id('AWS::IAM::Role', 'RemediatorRole');
  const roleStatements = () =>
    allStatements(template).filter((s) =>
      s.where.startsWith(id('AWS::IAM::Policy', 'RemediatorRoleDefaultPolicy')),
    );

  test('the function queries the audit table and, to seal each day into a digest, the day index alone', () => {
    // Prepare
    const table = `\${${id('AWS::DynamoDB::Table', 'AuditTable')}.Arn}`;
    // Act
    const grants = roleGrants(template, role());
    // Assess
    expect(grants['dynamodb:Query']).toEqual([table, `${table}/index/byDay`]);
    expect(
      Object.values(grants)
        .flat()
        .filter((resource) => resource.includes('/index/')),
    ).toEqual([`${table}/index/byDay`]);
  });

  test('the function may read the policy history, the DHCP options and CloudTrail events', () => {
    // Prepare
    const parameter = id('AWS::SSM::Parameter', 'PolicyParameter');
    // Act
    const grants = roleGrants(template, role());
    // Assess
    expect(grants['ssm:GetParameterHistory']).toEqual([
      `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter\${${parameter}}`,
    ]);
    expect(grants['ec2:DescribeDhcpOptions']).toEqual(['*']);
    expect(grants['cloudtrail:LookupEvents']).toEqual(['*']);
  });

  test('the function may use the alert key only through SNS of this region', () => {
    // Prepare
    const key = `\${${id('AWS::KMS::Key', 'AlertsKey')}.Arn}`;
    // Act
    const uses = roleStatements().filter((s) => s.Resource.includes(key));
    // Assess
    expect(uses).toHaveLength(1);
    expect(uses[0]?.Action.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(uses[0]?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
  });

  test('CloudWatch may use the alert key only for alarms of this account and region', () => {
    // Prepare
    const key = id('AWS::KMS::Key', 'AlertsKey');
    // Act
    const statement = allStatements(template).find(
      (s) => s.where.startsWith(key) && JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'),
    );
    // Assess
    const condition = statement?.Condition as { StringEquals: object; ArnLike: { 'aws:SourceArn': never } };
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(show(condition.ArnLike['aws:SourceArn'])).toBe(
      `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:*`,
    );
  });

  test('the log group is encrypted with a rotating, retained customer managed key', () => {
    // Prepare
    const key = id('AWS::KMS::Key', 'RemediatorLogsKey');
    // Act
    const logGroup = template.toJSON().Resources[id('AWS::Logs::LogGroup', 'RemediatorLogs')] as Resource;
    // Assess
    expect(logGroup.Properties.KmsKeyId).toEqual(arnOf(key));
    expect(template.toJSON().Resources[key]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });

  test('the log key lets CloudWatch Logs of this region use it for log groups of this account only', () => {
    // Prepare
    const key = id('AWS::KMS::Key', 'RemediatorLogsKey');
    // Act
    const services = allStatements(template).filter(
      (s) => s.where.startsWith(key) && JSON.stringify(s.Principal).includes('Service'),
    );
    // Assess
    expect(services).toHaveLength(1);
    const [logs] = services as [Statement];
    expect(show((logs.Principal as { Service: never }).Service)).toBe(`logs.\${AWS::Region}.amazonaws.com`);
    expect(logs.Action).toEqual(
      expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
    );
    const condition = logs.Condition as { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': never } };
    expect(show(condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toBe(
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*`,
    );
  });

  test('the function role is granted nothing on the log key', () => {
    // Prepare
    const key = `\${${id('AWS::KMS::Key', 'RemediatorLogsKey')}.Arn}`;
    // Act
    const grants = roleGrants(template, role());
    // Assess
    expect(Object.values(grants).flat()).not.toContain(key);
  });
});
