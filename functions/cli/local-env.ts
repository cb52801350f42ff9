import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import defaultPolicy from '../../infra/default-policy.json';
import { AUDIT_KEYS } from '../aws/audit-store';
import type { AwsClients } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import { DEFAULT_POLICY_PARAMETER_NAME } from '../core/policy/policy';
import { isLoopbackUrl } from './endpoint-policy';
import { CliError, nameFailedCalls } from './errors';
import type { CliIo } from './io';

/** The values the Lambda (and the CLI) read from the environment. */
export interface LocalEnv {
  POLICY_PARAMETER_NAME: string;
  TOPIC_ARN: string;
  RECHECK_QUEUE_URL: string;
  AUDIT_TABLE_NAME: string;
  DIGEST_BUCKET_NAME: string;
}

export const LOCAL_ENV_NAMES = {
  policyParameter: DEFAULT_POLICY_PARAMETER_NAME,
  topic: 'eks-endpoint-guard-alerts',
  queue: 'eks-endpoint-guard-recheck',
  table: 'eks-endpoint-guard-audit',
  digestBucket: 'eks-endpoint-guard-digests',
} as const;

/** The emulator's digest bucket keeps each digest locked (compliance mode) this many days. */
export const LOCAL_DIGEST_RETENTION_DAYS = 1;

export interface ProvisionOptions {
  /** Resource names; the defaults above unless given (tests give each file its own). */
  names?: Partial<Record<keyof typeof LOCAL_ENV_NAMES, string>>;
  /** The policy text for a parameter that does not exist yet; the default policy unless given. */
  policyText?: string;
}

export interface Provisioned {
  env: LocalEnv;
  /** What did not exist before, e.g. `topic eks-endpoint-guard-alerts`. */
  created: string[];
}

export const DEFAULT_POLICY_TEXT = `${JSON.stringify(defaultPolicy, null, 2)}\n`;

/**
 * Creates, where missing, what the Lambda needs: the policy parameter (never overwritten),
 * the alert topic, the re-check queue and the audit table with the key schema of audit-store.ts.
 * Idempotent: a second run finds everything and changes nothing.
 */
export type ProvisioningClients = Pick<AwsClients, 'ssm' | 'sns' | 'sqs' | 'dynamodb' | 's3'>;

export async function provisionLocalEnv(
  clients: ProvisioningClients,
  options: ProvisionOptions = {},
): Promise<Provisioned> {
  const names = { ...LOCAL_ENV_NAMES, ...options.names };
  const created: string[] = [];
  const [parameterCreated, topic, queue, tableCreated, bucketCreated] = await Promise.all([
    putParameterIfMissing(clients, names.policyParameter, options.policyText ?? DEFAULT_POLICY_TEXT),
    clients.sns.send(new CreateTopicCommand({ Name: names.topic })),
    clients.sqs.send(new CreateQueueCommand({ QueueName: names.queue })),
    createAuditTableIfMissing(clients.dynamodb, names.table),
    createDigestBucketIfMissing(clients.s3, names.digestBucket),
  ]);
  if (parameterCreated) created.push(`policy parameter ${names.policyParameter}`);
  if (tableCreated) created.push(`table ${names.table}`);
  if (bucketCreated) created.push(`digest bucket ${names.digestBucket}`);
  if (!topic.TopicArn) throw new Error(`CreateTopic ${names.topic} returned no topic ARN`);
  if (!queue.QueueUrl) throw new Error(`CreateQueue ${names.queue} returned no queue URL`);
  return {
    env: {
      POLICY_PARAMETER_NAME: names.policyParameter,
      TOPIC_ARN: topic.TopicArn,
      RECHECK_QUEUE_URL: queue.QueueUrl,
      AUDIT_TABLE_NAME: names.table,
      DIGEST_BUCKET_NAME: names.digestBucket,
    },
    created,
  };
}

async function putParameterIfMissing(
  clients: ProvisioningClients,
  name: string,
  value: string,
): Promise<boolean> {
  try {
    await clients.ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'String',
        Value: value,
        Overwrite: false,
        Description: 'eks-endpoint-guard policy',
      }),
    );
    return true;
  } catch (error) {
    if (awsErrorName(error) === 'ParameterAlreadyExists') return false;
    throw error;
  }
}

async function createAuditTableIfMissing(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
  }
  const { partitionKey, sortKey, byDayIndex, byOutcomeIndex, ttlAttribute } = AUDIT_KEYS;
  const index = (IndexName: string, hashKey: string) => ({
    IndexName,
    KeySchema: [
      { AttributeName: hashKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
          { AttributeName: 'day', AttributeType: 'S' },
          { AttributeName: 'outcome', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [index(byDayIndex, 'day'), index(byOutcomeIndex, 'outcome')],
      }),
    );
  } catch (error) {
    // Created by a concurrent run in the meantime.
    if (awsErrorName(error) === 'ResourceInUseException') return false;
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
  return true;
}

/**
 * The digest bucket as the stack makes it (infra/digest-bucket.ts): Object Lock in compliance mode
 * with a default retention, so that every digest put is locked (here for a day).
 */
async function createDigestBucketIfMissing(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    const name = awsErrorName(error);
    if (name !== 'NotFound' && name !== 'NoSuchBucket') throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  } catch (error) {
    // Created by a concurrent run in the meantime.
    if (awsErrorName(error) === 'BucketAlreadyOwnedByYou') return false;
    throw error;
  }
  await client.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: LOCAL_DIGEST_RETENTION_DAYS } },
      },
    }),
  );
  return true;
}

/** local-env creates resources: it must only ever talk to an emulator on this machine. */
export function assertEmulatorEndpoint(env: NodeJS.ProcessEnv): string {
  const endpoint = env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new CliError(
      'AWS_ENDPOINT_URL is not set: local-env only provisions a local emulator (e.g. AWS_ENDPOINT_URL=http://127.0.0.1:5000)',
    );
  }
  if (!isLoopbackUrl(endpoint)) {
    throw new CliError(
      `AWS_ENDPOINT_URL=${endpoint} is not a loopback address: local-env only provisions a local emulator`,
    );
  }
  for (const [name, value] of Object.entries(env)) {
    if (/^AWS_ENDPOINT_URL_/.test(name) && value && !isLoopbackUrl(value)) {
      throw new CliError(
        `${name}=${value} is not a loopback address: local-env only provisions a local emulator`,
      );
    }
  }
  return endpoint;
}

/** An emulator accepts any credentials: these, so that no profile's credentials are ever sent. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/**
 * The configuration of every client that talks to a local emulator. The endpoint is given to the
 * client itself: the SDK then never looks at the configured endpoints (AWS_ENDPOINT_URL,
 * `endpoint_url` in the shared config), so `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` and
 * `ignore_configured_endpoint_urls` cannot send it to a real AWS endpoint; explicit dummy
 * credentials keep the profile's credentials out of it.
 */
export function emulatorClientConfig(endpoint: string, region: string) {
  if (!isLoopbackUrl(endpoint))
    throw new CliError(`${endpoint} is not a loopback address: refusing to use it`);
  return { region, endpoint, credentials: { ...EMULATOR_CREDENTIALS } };
}

/** Only the services local-env provisions: the command stays quick to start. */
export function localEnvClients(endpoint: string, region: string): ProvisioningClients {
  const config = { ...emulatorClientConfig(endpoint, region), maxAttempts: 3 };
  const clients = {
    ssm: new SSMClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
    dynamodb: new DynamoDBClient(config),
    // The emulator's address is a loopback address: buckets by path, not by host name.
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
  nameFailedCalls(clients);
  return clients;
}

export async function localEnvCommand(
  options: { json?: boolean },
  io: CliIo,
  env = process.env,
): Promise<void> {
  const endpoint = assertEmulatorEndpoint(env);
  const region = env.AWS_REGION || 'us-east-1';
  const names = env.POLICY_PARAMETER_NAME ? { policyParameter: env.POLICY_PARAMETER_NAME } : {};
  const clients = localEnvClients(endpoint, region);
  const { env: values, created } = await provisionLocalEnv(clients, { names });
  if (options.json) {
    io.out(`${JSON.stringify(values, null, 2)}\n`);
    return;
  }
  for (const [name, value] of Object.entries(values)) io.out(`export ${name}=${shellQuote(value)}\n`);
  io.err(
    `# ${endpoint}: ${created.length > 0 ? `created ${created.join(', ')}` : 'everything already existed'}\n` +
      `# the CLI also needs: export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${region} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n`,
  );
}

/** Quotes a value for a POSIX shell only when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
