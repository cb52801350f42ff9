import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { EndpointGuardStack } from '../../infra/stack';
import { protectGuardScpText } from '../../scripts/write-protect-guard-scp';
import { newApp } from './helpers';

/**
 * The protection SCP of a single-account guard (docs/guard-protection-scp.json, written by
 * `npm run protect-guard-scp` from the renderer of `policy scp --protect-guard`).
 */
const SCP_FILE = path.join(__dirname, '..', '..', 'docs', 'guard-protection-scp.json');
const DEPLOYERS = ['arn:aws:iam::*:role/cdk-*-cfn-exec-role-*', 'arn:aws:iam::*:role/cdk-*-deploy-role-*'];
/** The limit AWS Organizations sets on an SCP document, whitespace included. */
const SCP_MAX_CHARACTERS = 5120;
const STACK = 'EksEndpointGuard';
const REGION = 'us-east-1';
const ACCOUNT = '111122223333';

interface ScpStatement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const text = readFileSync(SCP_FILE, 'utf8');
let template: Template;

beforeAll(() => {
  // Prepare: every optional resource type (trail, subscriptions) and the created parameter.
  const app = newApp();
  // Act
  template = Template.fromStack(
    new EndpointGuardStack(app, STACK, { createTrail: true, notificationEmails: ['ops@example.com'] }),
  );
});

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The statements that deny `action` on `arn` (or, for `arn` "*", by a condition on `key`) to other principals. */
function denying(action: string, arn: string, conditionKey?: string): ScpStatement[] {
  const { Statement } = JSON.parse(text) as { Statement: ScpStatement[] };
  return Statement.filter(
    (s) =>
      s.Effect === 'Deny' &&
      s.Action.some((pattern) => glob(pattern).test(action)) &&
      list(s.Resource).some((pattern) => glob(pattern).test(arn)) &&
      (conditionKey === undefined || Object.values(s.Condition ?? {}).some((keys) => conditionKey in keys)),
  );
}

/** The resource's fixed name (core/guard-names.ts), with the region's token resolved. */
function fixedName(properties: Record<string, unknown>): string | undefined {
  const value = properties.RoleName ?? properties.FunctionName ?? properties.QueueName ?? properties.Name;
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  return join?.[1].map((part) => (typeof part === 'string' ? part : REGION)).join(join[0]);
}

/** The ARN of a resource: its fixed name, or the one CloudFormation gives it, `<stack>-<logical id>-<suffix>`. */
function generatedArn(type: string, logicalId: string, properties: Record<string, unknown>): string {
  const name =
    (type !== 'AWS::SSM::Parameter' && fixedName(properties)) || `${STACK}-${logicalId}-AbC123dEf456`;
  const arns: Record<string, string> = {
    'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${name}`,
    'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
    'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    'AWS::SNS::Topic': `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
    'AWS::Events::Rule': `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`,
    'AWS::Logs::LogGroup': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
    'AWS::CloudWatch::Alarm': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    'AWS::CloudTrail::Trail': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${name}`,
    'AWS::S3::Bucket': `arn:aws:s3:::${name.toLowerCase()}`,
    'AWS::SSM::Parameter': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${properties.Name}`,
    'AWS::CloudWatch::Dashboard': `arn:aws:cloudwatch::${ACCOUNT}:dashboard/eks-endpoint-guard-${REGION}`,
  };
  const arn = arns[type];
  if (!arn) throw new Error(`no ARN form for ${type}`);
  return arn;
}

/**
 * For each resource type the stack creates: the resource whose ARN the SCP must match and a
 * change to it that the SCP must deny. A type missing here fails the test: decide what protects it.
 */
const PROTECTION: Record<string, { on: string; action: string; conditionKey?: string }> = {
  'AWS::Lambda::Function': { on: 'AWS::Lambda::Function', action: 'lambda:UpdateFunctionCode' },
  'AWS::Lambda::Permission': { on: 'AWS::Lambda::Function', action: 'lambda:AddPermission' },
  'AWS::Lambda::EventInvokeConfig': {
    on: 'AWS::Lambda::Function',
    action: 'lambda:PutFunctionEventInvokeConfig',
  },
  'AWS::Lambda::EventSourceMapping': {
    on: '*',
    action: 'lambda:DeleteEventSourceMapping',
    conditionKey: 'lambda:FunctionArn',
  },
  'AWS::IAM::Role': { on: 'AWS::IAM::Role', action: 'iam:PassRole' },
  'AWS::IAM::Policy': { on: 'AWS::IAM::Role', action: 'iam:PutRolePolicy' },
  'AWS::SSM::Parameter': { on: 'AWS::SSM::Parameter', action: 'ssm:PutParameter' },
  'AWS::SQS::Queue': { on: 'AWS::SQS::Queue', action: 'sqs:DeleteQueue' },
  'AWS::SQS::QueuePolicy': { on: 'AWS::SQS::Queue', action: 'sqs:SetQueueAttributes' },
  'AWS::DynamoDB::Table': { on: 'AWS::DynamoDB::Table', action: 'dynamodb:DeleteTable' },
  'AWS::SNS::Topic': { on: 'AWS::SNS::Topic', action: 'sns:DeleteTopic' },
  'AWS::SNS::TopicPolicy': { on: 'AWS::SNS::Topic', action: 'sns:SetTopicAttributes' },
  'AWS::SNS::Subscription': { on: 'AWS::SNS::Topic', action: 'sns:Unsubscribe' },
  'AWS::KMS::Key': {
    on: '*',
    action: 'kms:ScheduleKeyDeletion',
    conditionKey: 'aws:ResourceTag/aws:cloudformation:stack-name',
  },
  'AWS::Events::Rule': { on: 'AWS::Events::Rule', action: 'events:DisableRule' },
  'AWS::Logs::LogGroup': { on: 'AWS::Logs::LogGroup', action: 'logs:DeleteLogGroup' },
  'AWS::CloudWatch::Alarm': { on: 'AWS::CloudWatch::Alarm', action: 'cloudwatch:DisableAlarmActions' },
  'AWS::CloudWatch::Dashboard': { on: 'AWS::CloudWatch::Dashboard', action: 'cloudwatch:DeleteDashboards' },
  'AWS::CloudTrail::Trail': { on: 'AWS::CloudTrail::Trail', action: 'cloudtrail:StopLogging' },
  'AWS::S3::Bucket': { on: 'AWS::S3::Bucket', action: 's3:DeleteBucket' },
  'AWS::S3::BucketPolicy': { on: 'AWS::S3::Bucket', action: 's3:PutBucketPolicy' },
};
/** Types the SCP cannot or need not protect, and why. */
const UNPROTECTED: Record<string, string> = {
  'AWS::CDK::Metadata': 'not a resource in the account',
  'AWS::Logs::QueryDefinition':
    'saved queries have no resource-level permissions; changing one hides nothing',
};

describe('the recommended SCP (docs/guard-protection-scp.json)', () => {
  test('is a valid policy document within the SCP size limit, as written and minified', () => {
    // Act
    const policy = JSON.parse(text) as { Version: string; Statement: ScpStatement[] };
    // Assess
    expect(policy.Version).toBe('2012-10-17');
    expect(text.length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    expect(JSON.stringify(policy).length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    expect(new Set(policy.Statement.map((s) => s.Sid)).size).toBe(policy.Statement.length);
  });

  test('is what the renderer of policy scp --protect-guard prints (npm run protect-guard-scp)', () => {
    // Assess
    expect(text).toBe(protectGuardScpText());
  });

  test('only denies, and every statement spares the deploy roles', () => {
    // Act
    const { Statement } = JSON.parse(text) as { Statement: ScpStatement[] };
    // Assess
    for (const statement of Statement) {
      expect(statement.Effect).toBe('Deny');
      expect(list(statement.Condition?.ArnNotLike?.['aws:PrincipalArn'] ?? [])).toEqual(
        expect.arrayContaining(DEPLOYERS),
      );
    }
  });

  test('never denies the guard role the calls it makes on its own resources', () => {
    // Prepare
    const guardRole = `arn:aws:iam::${ACCOUNT}:role/eks-endpoint-guard-${REGION}`;
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${STACK}-AuditTableB07F8EEB-AbC123dEf456`;
    // Act
    const writes = denying('dynamodb:PutItem', table);
    // Assess: the only statement denying the audit write spares the guard's role.
    expect(writes).toHaveLength(1);
    const spared = list(writes[0]?.Condition?.ArnNotLike?.['aws:PrincipalArn'] ?? []);
    expect(spared.some((pattern) => glob(pattern).test(guardRole))).toBe(true);
    const own = {
      'ssm:GetParameter': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/eks-endpoint-guard/policy`,
      'ssm:GetParameterHistory': `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/eks-endpoint-guard/policy`,
      'sqs:ReceiveMessage': `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-endpoint-guard-recheck`,
      'sqs:ChangeMessageVisibility': `arn:aws:sqs:${REGION}:${ACCOUNT}:eks-endpoint-guard-recheck`,
      'logs:PutLogEvents': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${STACK}-RemediatorLogs6202C805-AbC:log-stream:x`,
      'kms:GenerateDataKey': '*',
    };
    for (const [action, arn] of Object.entries(own)) {
      expect({ action, denied: denying(action, arn) }).toEqual({ action, denied: [] });
    }
  });

  test('protects the CloudFormation stack itself', () => {
    // Prepare
    const stack = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/0f1e2d3c-aaaa-bbbb-cccc-000000000000`;
    // Act
    const statements = ['cloudformation:DeleteStack', 'cloudformation:UpdateStack'].map((a) =>
      denying(a, stack),
    );
    // Assess
    for (const found of statements) expect(found.length).toBeGreaterThan(0);
  });

  test('protects every resource type the stack creates, matching the names CloudFormation gives them', () => {
    // Prepare
    const resources = Object.entries(template.toJSON().Resources) as [
      string,
      { Type: string; Properties?: Record<string, unknown> },
    ][];
    const types = [...new Set(resources.map(([, resource]) => resource.Type))].sort();
    // Act
    const unprotected = types.flatMap((type) => {
      if (type in UNPROTECTED) return [];
      const protection = PROTECTION[type];
      if (!protection) return [`${type}: not classified`];
      const targets =
        protection.on === '*'
          ? ['*']
          : resources
              .filter(([, resource]) => resource.Type === protection.on)
              .map(([id, resource]) => generatedArn(resource.Type, id, resource.Properties ?? {}));
      return targets
        .filter((arn) => denying(protection.action, arn, protection.conditionKey).length === 0)
        .map((arn) => `${type}: ${protection.action} on ${arn}`);
    });
    // Assess
    expect(types.length).toBeGreaterThan(15);
    expect(unprotected).toEqual([]);
  });
});
