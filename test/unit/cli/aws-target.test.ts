import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { applyAwsTarget, guardRegions, isGuardStack } from '../../../functions/cli/aws-target';
import { CliError } from '../../../functions/cli/cli-error';
import { runInProcess, withEnv } from './in-process';

const cfn = mockClient(CloudFormationClient);
const ec2 = mockClient(EC2Client);

const outputs = (region: string) => [
  { OutputKey: 'TopicArn', OutputValue: `arn:aws:sns:${region}:111122223333:alerts` },
  { OutputKey: 'RecheckQueueUrl', OutputValue: `https://sqs.${region}.amazonaws.com/111122223333/recheck` },
  { OutputKey: 'AuditTableName', OutputValue: `audit-${region}` },
  { OutputKey: 'PolicyParameterName', OutputValue: '/eks-endpoint-guard/policy' },
  { OutputKey: 'FunctionName', OutputValue: 'remediator' },
  { OutputKey: 'DigestBucketName', OutputValue: `digests-${region}` },
  { OutputKey: 'GuardVersion', OutputValue: '1.2.3' },
];
const guardStack = (region: string, name = 'EksEndpointGuard'): Stack => ({
  StackName: name,
  Description: 'eks-endpoint-guard: keeps EKS API server endpoints compliant',
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: new Date(0),
  Outputs: outputs(region),
});

beforeEach(() => {
  cfn.reset();
  ec2.reset();
});

describe('--region, --profile, --stack', () => {
  test('--stack sets the variables from the outputs of the stack in the region given, and names the stack', async () => {
    // Prepare
    cfn
      .on(DescribeStacksCommand, { StackName: 'EksEndpointGuard' })
      .resolves({ Stacks: [guardStack('eu-west-1')] });
    const env: NodeJS.ProcessEnv = {};
    // Act
    await applyAwsTarget({ region: 'eu-west-1', stack: 'EksEndpointGuard' }, env);
    // Assess
    expect(env).toEqual({
      AWS_REGION: 'eu-west-1',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
      RECHECK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/recheck',
      AUDIT_TABLE_NAME: 'audit-eu-west-1',
      POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
      DIGEST_BUCKET_NAME: 'digests-eu-west-1',
      GUARD_VERSION: '1.2.3',
      GUARD_STACK_NAME: 'EksEndpointGuard',
    });
  });

  test('--profile sets AWS_PROFILE and drops keys in the environment that would win over it', async () => {
    // Prepare
    const env: NodeJS.ProcessEnv = {
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
    };
    // Act
    await applyAwsTarget({ profile: 'security-audit' }, env);
    // Assess
    expect(env).toEqual({ AWS_PROFILE: 'security-audit' });
  });

  test.each([
    [{ region: 'Europe' }, '--region "Europe": not an AWS region such as eu-west-1'],
    [{ profile: 'a b' }, '--profile "a b": not a profile name'],
    [{ stack: 'EksEndpointGuard' }, '--stack: give --region too (or set AWS_REGION)'],
    [{ region: 'us-east-1', stack: 'bad name!' }, '--stack "bad name!": not a CloudFormation stack name'],
  ])('refuses %j in one line', async (options, message) => {
    // Act / Assess
    await expect(applyAwsTarget(options, {})).rejects.toThrow(new CliError(message));
  });

  test('a stack without any of the outputs is refused', async () => {
    // Prepare
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ ...guardStack('us-east-1'), Outputs: [] }] });
    // Act / Assess
    await expect(applyAwsTarget({ region: 'us-east-1', stack: 'Other' }, {})).rejects.toThrow(
      /--stack Other: the stack has none of the outputs TopicArn, RecheckQueueUrl/,
    );
  });
});

describe('check --all-regions', () => {
  test('finds the guard in each enabled region that has one, with that region outputs', async () => {
    // Prepare
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }, { RegionName: 'ap-south-1' }],
    });
    cfn.on(DescribeStacksCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      if (region === 'us-east-1')
        return {
          Stacks: [{ StackName: 'Unrelated', CreationTime: new Date(0), StackStatus: 'CREATE_COMPLETE' }],
          NextToken: 'n',
        };
      if (region === 'eu-west-1') return { Stacks: [guardStack('eu-west-1', 'StackSet-guard-1234')] };
      return { Stacks: [] };
    });
    cfn.on(DescribeStacksCommand, { NextToken: 'n' }).resolves({ Stacks: [guardStack('us-east-1')] });
    // Act
    const found = await guardRegions({ AWS_REGION: 'us-east-1' }, undefined);
    // Assess
    expect(found.map((f) => [f.region, f.env.AWS_REGION, f.env.AUDIT_TABLE_NAME])).toEqual([
      ['eu-west-1', 'eu-west-1', 'audit-eu-west-1'],
      ['us-east-1', 'us-east-1', 'audit-us-east-1'],
    ]);
  });

  test('with --stack, only the stacks of that name count; a region without it is skipped', async () => {
    // Prepare
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] });
    cfn.on(DescribeStacksCommand).callsFake(async (_input, getClient) => {
      if ((await getClient().config.region()) === 'eu-west-1')
        return { Stacks: [guardStack('eu-west-1', 'Guard-eu')] };
      throw Object.assign(new Error('Stack with id Guard-eu does not exist'), { name: 'ValidationError' });
    });
    // Act
    const found = await guardRegions({ AWS_REGION: 'us-east-1' }, 'Guard-eu');
    // Assess
    expect(found.map((f) => f.region)).toEqual(['eu-west-1']);
  });

  test.each([
    [
      'without the outputs of a guard',
      { ...guardStack('us-east-1'), Outputs: outputs('us-east-1').slice(0, 3) },
    ],
    ['of another application', { ...guardStack('us-east-1'), Description: 'payments' }],
    ['being deleted', { ...guardStack('us-east-1'), StackStatus: 'DELETE_IN_PROGRESS' as const }],
  ])('a stack %s is not a guard stack', (_, stack) => {
    // Act / Assess
    expect(isGuardStack(stack)).toBe(false);
    expect(isGuardStack(guardStack('us-east-1'))).toBe(true);
  });
});

test('check --all-regions runs the check in each region the guard is deployed in', async () => {
  // Prepare
  const eks = mockClient(EKSClient);
  eks.on(ListClustersCommand).resolves({ clusters: [] });
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand).resolves({
    Parameter: { Name: '/eks-endpoint-guard/policy', Value: '{"version":1,"publicAccess":"disabled"}' },
  });
  ec2
    .on(DescribeRegionsCommand)
    .resolves({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] });
  cfn.on(DescribeStacksCommand).callsFake(async (_input, getClient) => ({
    Stacks: [guardStack(await getClient().config.region())],
  }));
  // Act
  const run = await withEnv({ AWS_REGION: undefined, AWS_ENDPOINT_URL: undefined }, () =>
    runInProcess(['check', '--all-regions', '--region', 'us-east-1', '--json']),
  );
  eks.restore();
  ssm.restore();
  // Assess
  expect(run.stderr).not.toContain('eks-endpoint-guard:');
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('eu-west-1:\n');
  expect(run.stderr).toContain('us-east-1:\n');
});
