import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyError } from '../../functions/core/policy/policy';
import { EndpointGuardStack, GuardConfigError } from '../../infra/stack';
import {
  allStatements,
  isTlsOnlyDeny,
  logicalId,
  newApp,
  QUEUE_WRITER_DENIES,
  roleGrants,
  show,
} from './helpers';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Properties: any };
const SHARED_PARAMETER = 'arn:aws:ssm:eu-west-1:111122223333:parameter/central/eks-endpoint-guard';

let dir: string;
let custom: Template;
let named: Template;
let fromFile: Template;
let largePolicy: string;

const functionOf = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function'))[0] as Resource;
const grantsOf = (template: Template) =>
  roleGrants(template, logicalId(template, 'AWS::IAM::Role', 'RemediatorRole'));

beforeAll(() => {
  // Prepare
  dir = mkdtempSync(path.join(tmpdir(), 'guard-options-'));
  const exemptions = Array.from({ length: 60 }, (_, i) => ({
    cluster: `legacy-${i}-*`,
    reason: `OPS-${1000 + i} migration`,
  }));
  largePolicy = JSON.stringify({ version: 1, publicAccess: 'disabled', exemptions }, null, 2);
  writeFileSync(path.join(dir, 'large.json'), largePolicy);
  const app = newApp();
  const stacks = {
    custom: new EndpointGuardStack(app, 'Custom', {
      policyParameter: SHARED_PARAMETER,
      createTrail: true,
      sweepSchedule: 'cron(0/15 * * * ? *)',
      notificationEmails: ['ops@example.com', 'security@example.com'],
      reservedConcurrency: 12,
      logRetentionDays: 90,
      auditRetentionDays: 400,
      recheckDeadlineMinutes: 45,
    }),
    named: new EndpointGuardStack(app, 'Named', { policyParameter: '/platform/eks-policy' }),
    fromFile: new EndpointGuardStack(app, 'FromFile', { policyFile: path.join(dir, 'large.json') }),
  };
  // Act: one synthesis for all three stacks.
  custom = Template.fromStack(stacks.custom);
  named = Template.fromStack(stacks.named);
  fromFile = Template.fromStack(stacks.fromFile);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('context values', () => {
  test('the sweep schedule is overridable', () => {
    // Prepare
    const schedule = { ScheduleExpression: 'cron(0/15 * * * ? *)' };
    // Act
    const rules = custom.findResources('AWS::Events::Rule', { Properties: schedule });
    // Assess
    expect(Object.keys(rules)).toHaveLength(1);
  });

  test('createTrail creates a multi-region, validated trail into a private, TLS-only, logged bucket', () => {
    // Prepare
    const bucket = logicalId(custom, 'AWS::S3::Bucket', 'TrailBucket');
    const accessLogs = logicalId(custom, 'AWS::S3::Bucket', 'TrailAccessLogs');
    // Act
    const trail = Object.values(custom.findResources('AWS::CloudTrail::Trail'));
    // Assess
    expect(trail).toHaveLength(1);
    expect((trail[0] as Resource).Properties).toMatchObject({
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
      S3BucketName: { Ref: bucket },
    });
    custom.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: accessLogs } },
      },
    });
    const tlsDenies = allStatements(custom).filter(
      (s) => s.Effect === 'Deny' && s.Action.includes('s3:*') && s.where.startsWith('TrailBucketPolicy'),
    );
    expect(tlsDenies).toHaveLength(1);
  });

  test('each notification e-mail address is subscribed to the topic', () => {
    // Prepare
    const topic = logicalId(custom, 'AWS::SNS::Topic', 'Alerts');
    // Act
    const subscriptions = Object.values(custom.findResources('AWS::SNS::Subscription')) as Resource[];
    // Assess
    expect(subscriptions.map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } },
      { Protocol: 'email', Endpoint: 'security@example.com', TopicArn: { Ref: topic } },
    ]);
  });

  test('reserved concurrency, log retention, audit retention and recheck deadline reach the function', () => {
    // Prepare
    const props = functionOf(custom).Properties;
    // Act
    const env = props.Environment.Variables;
    // Assess
    expect(props.ReservedConcurrentExecutions).toBe(12);
    expect(env).toMatchObject({ AUDIT_RETENTION_DAYS: '400', RECHECK_DEADLINE_MINUTES: '45' });
    custom.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});

describe('policy parameter', () => {
  test('a shared parameter ARN: nothing is created, the function reads and is granted that ARN', () => {
    // Prepare
    const parameters = custom.findResources('AWS::SSM::Parameter');
    // Act
    const env = functionOf(custom).Properties.Environment.Variables;
    // Assess
    expect(Object.keys(parameters)).toHaveLength(0);
    expect(env.POLICY_PARAMETER_NAME).toBe(SHARED_PARAMETER);
    expect(grantsOf(custom)['ssm:GetParameter']).toEqual([SHARED_PARAMETER]);
    expect(custom.toJSON().Outputs.PolicyParameterName).toEqual({ Value: SHARED_PARAMETER });
  });

  test('an existing parameter name: nothing is created, the grant targets its ARN in this account', () => {
    // Prepare
    const parameters = named.findResources('AWS::SSM::Parameter');
    // Act
    const env = functionOf(named).Properties.Environment.Variables;
    // Assess
    expect(Object.keys(parameters)).toHaveLength(0);
    expect(env.POLICY_PARAMETER_NAME).toBe('/platform/eks-policy');
    expect(grantsOf(named)['ssm:GetParameter']).toEqual([
      `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/platform/eks-policy`,
    ]);
  });

  test('a policy file is stored as written; one above 4 KB uses the advanced tier', () => {
    // Prepare
    const parameterId = logicalId(fromFile, 'AWS::SSM::Parameter', 'PolicyParameter');
    // Act
    const parameter = fromFile.toJSON().Resources[parameterId] as Resource;
    // Assess
    expect(largePolicy.length).toBeGreaterThan(4096);
    expect(parameter.Properties).toMatchObject({
      Name: '/eks-endpoint-guard/policy',
      Type: 'String',
      Tier: 'Advanced',
      Value: largePolicy,
    });
    expect(show(functionOf(fromFile).Properties.Environment.Variables.POLICY_PARAMETER_NAME)).toBe(
      `\${${parameterId}}`,
    );
  });

  test('an invalid policy file stops synthesis with the one-line policy error', () => {
    // Prepare
    const file = path.join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify({ version: 1, publicAccess: 'open' }));
    // Act
    const build = () => new EndpointGuardStack(newApp(), 'Invalid', { policyFile: file });
    // Assess
    expect(build).toThrow(PolicyError);
    expect(build).toThrow(
      `policy ${file}: publicAccess: must be one of "disabled", "restricted", "allowed", got "open"`,
    );
  });

  test('a policy file that is not JSON stops synthesis with one line', () => {
    // Prepare
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "version": 1,');
    // Act
    let message = '';
    try {
      new EndpointGuardStack(newApp(), 'Broken', { policyFile: file });
    } catch (error) {
      message = (error as Error).message;
    }
    // Assess
    expect(message).toBe(
      `policy ${file}: not valid JSON at line 1, column 16: the object opened at 1:1 is not closed: the text ends first`,
    );
    expect(message).not.toContain('\n');
  });

  test('a policy file above the parameter size limit stops synthesis', () => {
    // Prepare
    const file = path.join(dir, 'huge.json');
    const exemptions = Array.from({ length: 200 }, (_, i) => ({
      cluster: `legacy-${i}-*`,
      reason: 'OPS-1 migration',
    }));
    writeFileSync(file, JSON.stringify({ version: 1, publicAccess: 'disabled', exemptions }));
    // Act
    const build = () => new EndpointGuardStack(newApp(), 'Huge', { policyFile: file });
    // Assess
    expect(build).toThrow(PolicyError);
    expect(build).toThrow(/bytes; a parameter holds at most 8192$/);
  });

  test('a missing policy file stops synthesis naming the file', () => {
    // Prepare
    const file = path.join(dir, 'missing.json');
    // Act
    const build = () => new EndpointGuardStack(newApp(), 'Missing', { policyFile: file });
    // Assess
    expect(build).toThrow(`policy ${file}: cannot be read (ENOENT)`);
  });
});

describe('least privilege with every option on', () => {
  test('no Allow statement has a wildcard action', () => {
    // Prepare
    const statements = allStatements(custom).filter((s) => s.Effect === 'Allow');
    // Act
    const wildcards = statements.filter((s) => s.Action.some((action) => action.includes('*')));
    // Assess
    expect(wildcards.map((s) => s.Action)).toEqual([]);
  });

  test('every Deny statement refuses requests without TLS or locks a queue to its writers', () => {
    // Prepare
    const statements = allStatements(custom);
    // Act
    const denies = statements.filter((s) => s.Effect === 'Deny');
    const others = denies.filter((s) => !isTlsOnlyDeny(s)).map((s) => s.Sid);
    // Assess
    expect(denies.length - others.length).toBeGreaterThanOrEqual(6);
    expect(others.sort()).toEqual([...QUEUE_WRITER_DENIES].sort());
  });
});

describe('props that cannot work', () => {
  test.each([
    [
      { reservedConcurrency: 5 },
      "reservedConcurrency 5: must be above 5, the recheck queue's own concurrency",
    ],
    [
      { logRetentionDays: 100 },
      'logRetentionDays 100: not a CloudWatch Logs retention period (e.g. 30, 90, 365)',
    ],
    [{ recheckDeadlineMinutes: 0 }, 'recheckDeadlineMinutes 0: expected an integer from 1 to 1440'],
    [{ auditRetentionDays: 4000 }, 'auditRetentionDays 4000: expected an integer from 0 to 3650'],
    [
      { logRetentionDays: 9999 },
      'logRetentionDays 9999: not a CloudWatch Logs retention period (e.g. 30, 90, 365)',
    ],
    [
      { policyFile: 'a.json', policyParameter: '/p' },
      'policyFile and policyParameter exclude each other: give one',
    ],
    [
      { policyParameter: 'arn:aws:sns:eu-west-1:111122223333:topic' },
      'policyParameter arn:aws:sns:eu-west-1:111122223333:topic: expected an SSM parameter ARN',
    ],
    [
      { deadLetterOperatorRoleArn: 'GuardOperator' },
      'deadLetterOperatorRoleArn GuardOperator: expected an IAM role ARN such as arn:aws:iam::111122223333:role/GuardOperator',
    ],
  ])('%j is refused with one line', (props, message) => {
    // Prepare
    const build = () => new EndpointGuardStack(newApp(), 'Refused', props);
    // Act + Assess
    expect(build).toThrow(GuardConfigError);
    expect(build).toThrow(message);
  });
});
