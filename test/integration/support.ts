import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClients, createAwsClients } from '../../functions/aws/clients';
import { type LocalEnv, provisionLocalEnv } from '../../functions/cli/local-env';
import {
  createVpc,
  type Inbox,
  retarget,
  type SandboxVpc,
  subscribeInbox,
} from '../../functions/cli/sandbox';
import type { EndpointConfig } from '../../functions/core/endpoint';
import { endpointConfigOf } from '../../functions/core/endpoint';
import type { Outcome } from '../../functions/core/outcome';
import type { CheckResult } from '../../functions/core/result';
import type { ProcessOptions } from '../../functions/guard/process-event';
import type { GuardPorts } from '../../functions/ports';
import { loadConfig } from '../../functions/wiring/config';
import { createPorts, guardOptions } from '../../functions/wiring/ports';
import { emulatorEndpoint } from './emulator-endpoint';

export const REGION = 'us-east-1';
const ROOT = join(__dirname, '..', '..');
export const ACCOUNT = '123456789012';

/** Points this test file's SDK clients at the shared emulator, with dummy credentials only. */
export function useEmulator(): string {
  const endpoint = emulatorEndpoint();
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_ENDPOINT_URL_') || name === 'AWS_PROFILE' || name === 'AWS_SESSION_TOKEN') {
      delete process.env[name];
    }
  }
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  return endpoint;
}

/** A test file's own guard resources: every name carries the file's suffix, so files never share one. */
export interface World {
  suffix: string;
  endpoint: string;
  clients: AwsClients;
  env: LocalEnv;
  /** The environment a CLI child process or the Lambda bundle needs. */
  processEnv: NodeJS.ProcessEnv;
  inbox: Inbox;
  vpcs: { withDns: SandboxVpc; withoutDns: SandboxVpc };
  /** Cluster names are prefixed with the suffix. */
  name(cluster: string): string;
  setPolicy(policy: unknown): Promise<void>;
  /** Fresh ports (and so a fresh policy cache) over the file's environment. */
  guard(act?: boolean): { ports: GuardPorts; options: ProcessOptions };
}

export async function createWorld(suffix: string, policy: unknown): Promise<World> {
  const endpoint = useEmulator();
  const clients = createAwsClients(REGION);
  const { env } = await provisionLocalEnv(clients, {
    names: {
      policyParameter: `/eks-endpoint-guard-it/${suffix}/policy`,
      topic: `guard-alerts-${suffix}`,
      queue: `guard-recheck-${suffix}`,
      table: `guard-audit-${suffix}`,
      digestBucket: `guard-digests-${suffix}`,
    },
    policyText: JSON.stringify(policy),
  });
  // VPC ranges may overlap between files: EC2 allows that within an account.
  const [withDns, withoutDns, inbox] = await Promise.all([
    createVpc(clients.ec2, '10.1', true),
    createVpc(clients.ec2, '10.2', false),
    subscribeInbox(clients, env.TOPIC_ARN, `guard-inbox-${suffix}`),
  ]);
  const processEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    POLICY_CACHE_SECONDS: '0',
    ...env,
  };
  Object.assign(process.env, env, { POLICY_CACHE_SECONDS: '0' });

  return {
    suffix,
    endpoint,
    clients,
    env,
    processEnv,
    inbox,
    vpcs: { withDns, withoutDns },
    name: (cluster) => `${suffix}-${cluster}`,
    async setPolicy(next) {
      await clients.ssm.send(
        new PutParameterCommand({
          Name: env.POLICY_PARAMETER_NAME,
          Type: 'String',
          Overwrite: true,
          Value: typeof next === 'string' ? next : JSON.stringify(next),
        }),
      );
    },
    guard(act = true) {
      const config = loadConfig({ ...process.env, ...processEnv });
      const ports = createPorts(config, clients);
      return {
        ports,
        options: {
          region: config.AWS_REGION,
          sweepConcurrency: config.SWEEP_CONCURRENCY,
          guard: guardOptions(config, act),
        },
      };
    },
  };
}

/** A sample event from events/, aimed at one of the file's clusters in the emulator's account. */
export function sampleEvent(file: string, cluster: string, extra: { token?: string } = {}): unknown {
  const event = JSON.parse(readFileSync(join(ROOT, 'events', file), 'utf8'));
  return retarget(event, { cluster, account: ACCOUNT, region: REGION, ...extra });
}

export async function endpointOf(world: World, cluster: string): Promise<EndpointConfig> {
  const { cluster: found } = await world.clients.eks.send(new DescribeClusterCommand({ name: cluster }));
  return endpointConfigOf(found?.resourcesVpcConfig);
}

/** The audit records of one cluster, read straight from the table (newest first). */
export async function auditRecords(world: World, cluster: string): Promise<CheckResult[]> {
  const documents = DynamoDBDocumentClient.from(world.clients.dynamodb);
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: world.env.AUDIT_TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${REGION}#${cluster}` },
      ScanIndexForward: false,
    }),
  );
  return Items as CheckResult[];
}

/** Items of the audit table other than the guard's claims (which keep an update to one record and alert). */
export async function auditCount(world: World): Promise<number> {
  const { Count = 0 } = await world.clients.dynamodb.send(
    new ScanCommand({
      TableName: world.env.AUDIT_TABLE_NAME,
      Select: 'COUNT',
      FilterExpression: 'NOT begins_with(pk, :claim)',
      ExpressionAttributeValues: { ':claim': { S: '#claim#' } },
    }),
  );
  return Count;
}

export async function tableExists(world: World): Promise<boolean> {
  const { Table } = await world.clients.dynamodb.send(
    new DescribeTableCommand({ TableName: world.env.AUDIT_TABLE_NAME }),
  );
  return Table?.TableStatus === 'ACTIVE';
}

export async function queueDepth(world: World, queueUrl = world.env.RECHECK_QUEUE_URL): Promise<number> {
  const { Attributes } = await world.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/eks-endpoint-guard.js <args>` the way a person would, with only the given environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'eks-endpoint-guard.js'), ...args], {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** An audit record as the guard writes it, for tests of reading the trail back. */
export function auditRecordFixture(
  id: string,
  cluster: string,
  outcome: Outcome,
  ageMs: number,
  now = Date.now(),
): CheckResult {
  return {
    cluster,
    region: REGION,
    account: ACCOUNT,
    outcome,
    reason: `${outcome} for the audit test, with a comma`,
    time: new Date(now - ageMs).toISOString(),
    correlationId: id,
    trigger: {
      source: 'event',
      eventName: 'UpdateClusterConfig',
      actorArn: 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe',
    },
    attempt: 0,
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    after: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
  };
}
