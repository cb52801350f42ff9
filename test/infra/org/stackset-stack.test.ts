import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { OrgConfigError } from '../../../infra/org/config';
import { GuardConfigError } from '../../../infra/stack';
import { allStatements } from '../helpers';
import { nagViolations, ORG_CONTEXT, orgApp, templateOf } from './support';

let app: App;
let stackSet: Template;
let outdir: string;

beforeAll(() => {
  // Prepare / Act
  app = orgApp({ ...ORG_CONTEXT, callAs: 'DELEGATED_ADMIN' });
  outdir = app.synth().directory;
  stackSet = templateOf(app, 'EksEndpointGuardStackSet');
}, 120_000);

function member(): Record<string, { Type: string; Properties: Record<string, unknown> }> {
  return JSON.parse(readFileSync(path.join(outdir, 'stackset-member', 'Member.template.json'), 'utf8'))
    .Resources;
}

describe('organisation StackSet', () => {
  test('is service-managed with auto-deployment that removes the guard from accounts that leave', () => {
    // Assess
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      // The guard's role has a fixed name: the central bus policy and the protection SCP name it.
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
    });
  });

  test('targets the given OUs in the given regions', () => {
    // Assess
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-99998888'] },
          Regions: ['us-east-1', 'eu-west-1'],
        },
      ],
    });
  });

  test('deploys regions in parallel, a quarter of the accounts at a time, stopping past 10 % failures', () => {
    // Assess
    stackSet.hasResourceProperties('AWS::CloudFormation::StackSet', {
      OperationPreferences: {
        RegionConcurrencyType: 'PARALLEL',
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
      },
    });
  });

  test('the member template reads its code from the regional organisation bucket the app publishes to', () => {
    // Prepare
    const functions = Object.values(member()).filter((r) => r.Type === 'AWS::Lambda::Function');
    const codeAssets = JSON.parse(
      readFileSync(path.join(outdir, 'EksEndpointGuardCode-eu-west-1.assets.json'), 'utf8'),
    );
    // Act
    const code = functions[0]?.Properties.Code as { S3Bucket: unknown; S3Key: string };
    const published = Object.values(
      codeAssets.files as Record<
        string,
        { destinations: Record<string, { bucketName: string; objectKey: string }> }
      >,
    )
      .flatMap((file) => Object.values(file.destinations))
      .map((d) => `${d.bucketName}/${d.objectKey}`);
    // Assess
    expect(functions).toHaveLength(1);
    expect(code.S3Bucket).toEqual({ 'Fn::Join': ['', ['eks-guard-o-a1b2c3d4e5-', { Ref: 'AWS::Region' }]] });
    expect(published).toContain(`eks-guard-o-a1b2c3d4e5-eu-west-1/${code.S3Key}`);
  });

  test('the member template has no bootstrap rule and sends decisions to the central bus only', () => {
    // Prepare
    const resources = member();
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function');
    const template = { toJSON: () => ({ Resources: resources }) } as unknown as Template;
    // Act
    const puts = allStatements(template).filter((s) => s.Action.includes('events:PutEvents'));
    // Assess
    const env =
      (fn?.Properties.Environment as { Variables: Record<string, string> } | undefined)?.Variables ?? {};
    expect(env.DECISION_BUS_ARN).toBe('arn:aws:events:eu-west-1:222233334444:event-bus/eks-endpoint-guard');
    expect(env.POLICY_PARAMETER_NAME).toBe(
      'arn:aws:ssm:eu-west-1:222233334444:parameter/eks-endpoint-guard/organisation/policy',
    );
    expect(puts.map((s) => s.Resource)).toEqual([[env.DECISION_BUS_ARN]]);
    const raw = JSON.parse(
      readFileSync(path.join(outdir, 'stackset-member', 'Member.template.json'), 'utf8'),
    );
    expect(raw.Rules).toBeUndefined();
    expect(raw.Parameters).toBeUndefined();
  });

  test('each region has an organisation-readable bucket, deployed before the code and the StackSet', () => {
    // Prepare
    const bucket = templateOf(app, 'EksEndpointGuardAssets-eu-west-1');
    const assembly = app.synth();
    // Act
    const dependencies = (name: string) =>
      assembly
        .getStackByName(name)
        .dependencies.map((d) => d.id)
        .sort();
    // Assess
    bucket.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'eks-guard-o-a1b2c3d4e5-eu-west-1' });
    bucket.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
          }),
        ]),
      },
    });
    expect(dependencies('EksEndpointGuardCode-eu-west-1')).toContain('EksEndpointGuardAssets-eu-west-1');
    expect(dependencies('EksEndpointGuardStackSet')).toEqual(
      expect.arrayContaining(['EksEndpointGuardCode-eu-west-1', 'EksEndpointGuardCode-us-east-1']),
    );
  });

  test('cdk-nag AwsSolutions and Serverless report nothing unacknowledged in any org stack', () => {
    // Act / Assess
    expect(nagViolations(app)).toEqual([]);
  });

  test.each([
    [{ organizationalUnits: '' }, OrgConfigError, /organizationalUnits/],
    [{ organizationalUnits: 'ou-bad' }, OrgConfigError, /not an OU id/],
    [{ regions: 'us-east-1,mars' }, OrgConfigError, /regions: "mars"/],
    [{ callAs: 'ADMIN' }, OrgConfigError, /callAs/],
    [{ organizationId: 'acme' }, OrgConfigError, /organizationId/],
    [{ assetBucketPrefix: 'Bad_Prefix' }, OrgConfigError, /assetBucketPrefix/],
    [{ createTrail: 'true' }, OrgConfigError, /organisation trail/],
    [{ logRetentionDays: '8' }, GuardConfigError, /logRetentionDays/],
  ])('refuses %o in one line', (context, type, message) => {
    // Act / Assess
    expect(() => orgApp({ ...ORG_CONTEXT, ...context })).toThrow(type);
    expect(() => orgApp({ ...ORG_CONTEXT, ...context })).toThrow(message);
  });
});
