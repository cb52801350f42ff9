import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { lazy } from '../aws/clients';
import { CliError } from './cli-error';

/**
 * `--region`, `--profile` and `--stack`: which account, region and guard a command talks to, so
 * that nobody copies the stack's outputs into variables by hand. They set the same environment
 * variables a person would (DESIGN §5), before the command reads them.
 */
export interface AwsTargetOptions {
  region?: string;
  profile?: string;
  stack?: string;
}

/** The stack outputs (infra/stack.ts; the central stack has the topic and the table) and their variables. */
export const STACK_OUTPUT_VARIABLES = {
  TopicArn: 'TOPIC_ARN',
  RecheckQueueUrl: 'RECHECK_QUEUE_URL',
  AuditTableName: 'AUDIT_TABLE_NAME',
  PolicyParameterName: 'POLICY_PARAMETER_NAME',
  DigestBucketName: 'DIGEST_BUCKET_NAME',
  GuardVersion: 'GUARD_VERSION',
} as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PROFILE = /^[\w.+@-]{1,128}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

const cloudFormation = lazy((): typeof import('@aws-sdk/client-cloudformation') =>
  require('@aws-sdk/client-cloudformation'),
);
const ec2 = lazy((): typeof import('@aws-sdk/client-ec2') => require('@aws-sdk/client-ec2'));

/** Applies the options to `env` (the process environment unless given). */
export async function applyAwsTarget(
  options: AwsTargetOptions,
  env: NodeJS.ProcessEnv = process.env,
  client: (region: string) => CloudFormationClient = cloudFormationClient,
): Promise<void> {
  if (options.region !== undefined) {
    if (!REGION.test(options.region))
      throw new CliError(`--region "${options.region}": not an AWS region such as eu-west-1`);
    env.AWS_REGION = options.region;
  }
  if (options.profile !== undefined) {
    if (!PROFILE.test(options.profile))
      throw new CliError(`--profile "${options.profile}": not a profile name`);
    env.AWS_PROFILE = options.profile;
    // Keys in the environment would win over the profile: the profile asked for is the one used.
    for (const name of CREDENTIAL_VARIABLES) delete env[name];
  }
  if (options.stack !== undefined) {
    const region = env.AWS_REGION;
    if (!region) throw new CliError('--stack: give --region too (or set AWS_REGION)');
    Object.assign(env, stackEnvironment(await describeStack(client(region), options.stack), options.stack));
    // The report names the stack its evidence is of.
    env.GUARD_STACK_NAME = options.stack;
  }
}

/** The variables a guard (or central) stack's outputs give. */
export function stackEnvironment(stack: Stack, name: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    const variable = STACK_OUTPUT_VARIABLES[output.OutputKey as keyof typeof STACK_OUTPUT_VARIABLES];
    if (variable && output.OutputValue) values[variable] = output.OutputValue;
  }
  if (Object.keys(values).length === 0) {
    throw new CliError(
      `--stack ${name}: the stack has none of the outputs ${Object.keys(STACK_OUTPUT_VARIABLES).join(', ')}`,
    );
  }
  return values;
}

/** The stack, or a one-line error when it does not exist in the region. */
export async function describeStack(client: CloudFormationClient, name: string): Promise<Stack> {
  if (!STACK_NAME.test(name)) throw new CliError(`--stack "${name}": not a CloudFormation stack name`);
  const { DescribeStacksCommand } = cloudFormation();
  try {
    const [stack] = (await client.send(new DescribeStacksCommand({ StackName: name }))).Stacks ?? [];
    if (stack) return stack;
  } catch (error) {
    if ((error as Error).name !== 'ValidationError') throw error;
  }
  const region = await client.config.region();
  throw new CliError(`--stack ${name}: no such stack in ${region}`);
}

/** A guard stack: its outputs name the function and the recheck queue, its description the guard. */
export function isGuardStack(stack: Stack): boolean {
  const keys = new Set((stack.Outputs ?? []).map((o) => o.OutputKey));
  return (
    (stack.Description ?? '').startsWith('eks-endpoint-guard') &&
    keys.has('FunctionName') &&
    keys.has('RecheckQueueUrl') &&
    !(stack.StackStatus ?? '').startsWith('DELETE')
  );
}

/**
 * The regions the guard is deployed in (`check --all-regions`): of the account's enabled regions,
 * those with a guard stack — the one named `stack`, or else any stack that `isGuardStack` (the
 * single-account, multi-region and StackSet member stacks all are), with the variables of each.
 */
export async function guardRegions(
  env: NodeJS.ProcessEnv,
  stack: string | undefined,
  clients: {
    ec2: (region: string) => EC2Client;
    cloudFormation: (region: string) => CloudFormationClient;
  } = {
    ec2: ec2Client,
    cloudFormation: cloudFormationClient,
  },
): Promise<{ region: string; env: Record<string, string> }[]> {
  const home = env.AWS_REGION;
  if (!home)
    throw new CliError('--all-regions: give --region too (or set AWS_REGION): where to list the regions');
  const { DescribeRegionsCommand } = ec2();
  const listed = await clients.ec2(home).send(new DescribeRegionsCommand({}));
  const regions = (listed.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
  const found: { region: string; env: Record<string, string> }[] = [];
  for (const region of regions) {
    const client = clients.cloudFormation(region);
    const guard = stack ? await namedStack(client, stack) : await firstGuardStack(client);
    if (guard)
      found.push({ region, env: { AWS_REGION: region, ...stackEnvironment(guard, guard.StackName ?? '') } });
  }
  return found;
}

async function namedStack(client: CloudFormationClient, name: string): Promise<Stack | undefined> {
  try {
    return await describeStack(client, name);
  } catch (error) {
    if (error instanceof CliError) return undefined;
    throw error;
  }
}

async function firstGuardStack(client: CloudFormationClient): Promise<Stack | undefined> {
  const { DescribeStacksCommand } = cloudFormation();
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeStacksCommand({ NextToken: token }));
    const guard = (page.Stacks ?? []).find(isGuardStack);
    if (guard) return guard;
    token = page.NextToken;
  } while (token);
  return undefined;
}

function cloudFormationClient(region: string): CloudFormationClient {
  return new (cloudFormation().CloudFormationClient)({ region, maxAttempts: 5, retryMode: 'standard' });
}

function ec2Client(region: string): EC2Client {
  return new (ec2().EC2Client)({ region, maxAttempts: 5, retryMode: 'standard' });
}
