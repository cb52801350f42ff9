import type * as CloudTrail from '@aws-sdk/client-cloudtrail';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import type * as DynamoDb from '@aws-sdk/client-dynamodb';
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as Eks from '@aws-sdk/client-eks';
import type * as S3 from '@aws-sdk/client-s3';
import type * as SecurityHub from '@aws-sdk/client-securityhub';
import type * as Sns from '@aws-sdk/client-sns';
import type * as Sqs from '@aws-sdk/client-sqs';
import type * as Ssm from '@aws-sdk/client-ssm';
import type * as Sts from '@aws-sdk/client-sts';
import type * as DynamoDbDocuments from '@aws-sdk/lib-dynamodb';

/** Returns `load()`, computed on the first call only. */
export function lazy<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => {
    loaded ??= { value: load() };
    return loaded.value;
  };
}

/**
 * The SDK packages, each loaded on first use: a decision needs only some of them (EC2, the
 * largest by far, only for the lockout check), and an ignored event needs none, so none of them
 * is paid for at cold start.
 */
export const sdk = {
  eks: lazy((): typeof Eks => require('@aws-sdk/client-eks')),
  ec2: lazy((): typeof Ec2 => require('@aws-sdk/client-ec2')),
  ssm: lazy((): typeof Ssm => require('@aws-sdk/client-ssm')),
  sns: lazy((): typeof Sns => require('@aws-sdk/client-sns')),
  sqs: lazy((): typeof Sqs => require('@aws-sdk/client-sqs')),
  dynamodb: lazy((): typeof DynamoDb => require('@aws-sdk/client-dynamodb')),
  dynamodbDocuments: lazy((): typeof DynamoDbDocuments => require('@aws-sdk/lib-dynamodb')),
  cloudtrail: lazy((): typeof CloudTrail => require('@aws-sdk/client-cloudtrail')),
  securityhub: lazy((): typeof SecurityHub => require('@aws-sdk/client-securityhub')),
  s3: lazy((): typeof S3 => require('@aws-sdk/client-s3')),
  logs: lazy((): typeof Logs => require('@aws-sdk/client-cloudwatch-logs')),
  sts: lazy((): typeof Sts => require('@aws-sdk/client-sts')),
};

/** One client per service, created on first use and then reused (the SDK keeps connections alive). */
export interface AwsClients {
  readonly eks: Eks.EKSClient;
  readonly ec2: Ec2.EC2Client;
  readonly ssm: Ssm.SSMClient;
  readonly sns: Sns.SNSClient;
  readonly sqs: Sqs.SQSClient;
  readonly dynamodb: DynamoDb.DynamoDBClient;
  readonly cloudtrail: CloudTrail.CloudTrailClient;
  readonly securityhub: SecurityHub.SecurityHubClient;
  /** The digest bucket (DIGEST_BUCKET_NAME). */
  readonly s3: S3.S3Client;
  /** CloudWatch Logs: the clusters' audit logs (who uses the API server). */
  readonly logs: Logs.CloudWatchLogsClient;
  /** The CLI's own identity (GetCallerIdentity) when GUARD_ROLE_ARN does not name the account. */
  readonly sts: Sts.STSClient;
}

/** A client, or a function that returns it when first needed. */
export type ClientSource<T> = T | (() => T);

export function resolveClient<T>(source: ClientSource<T>): T {
  return typeof source === 'function' ? (source as () => T)() : source;
}

export type AnyAwsClient = AwsClients[keyof AwsClients];

/**
 * Standard retry mode, 5 attempts: each throttled or failed call is retried with jittered
 * exponential backoff under the SDK's retry quota, which rides out short faults; after that the
 * request itself is retried from its queue or event source, and a sweep halves its own
 * concurrency (core/adaptive-limit.ts). Not `adaptive` mode: its client-side rate limiter (CUBIC)
 * shares one send rate across every call of a client, may delay first attempts, and fell to a
 * fraction of a call per second when a share of the calls was throttled (docs/BENCHMARKS.md,
 * *Under throttling*). AWS_ENDPOINT_URL (a local emulator) is honoured by the SDK itself.
 * `onCreate` sees each client once, when it is first used (for tracing, say).
 */
export function createAwsClients(
  region: string,
  onCreate?: (client: AnyAwsClient) => void,
  /** Given to every client (e.g. an emulator's endpoint and dummy credentials, see cli/sandbox.ts). */
  overrides: { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): AwsClients {
  const options = { region, maxAttempts: 5, retryMode: 'standard' as const, ...overrides };
  const factories: { [K in keyof AwsClients]: () => AwsClients[K] } = {
    eks: () => new (sdk.eks().EKSClient)(options),
    ec2: () => new (sdk.ec2().EC2Client)(options),
    ssm: () => new (sdk.ssm().SSMClient)(options),
    sns: () => new (sdk.sns().SNSClient)(options),
    sqs: () => new (sdk.sqs().SQSClient)(options),
    dynamodb: () => new (sdk.dynamodb().DynamoDBClient)(options),
    cloudtrail: () => new (sdk.cloudtrail().CloudTrailClient)(options),
    securityhub: () => new (sdk.securityhub().SecurityHubClient)(options),
    // An emulator's endpoint is a loopback address: bucket names cannot be host names there.
    s3: () =>
      new (sdk.s3().S3Client)({
        ...options,
        forcePathStyle: Boolean(overrides.endpoint ?? process.env.AWS_ENDPOINT_URL),
      }),
    logs: () => new (sdk.logs().CloudWatchLogsClient)(options),
    sts: () => new (sdk.sts().STSClient)(options),
  };
  const clients = {} as AwsClients;
  for (const [name, create] of Object.entries(factories)) {
    const client = lazy(() => {
      const made = create();
      onCreate?.(made);
      return made;
    });
    Object.defineProperty(clients, name, { enumerable: true, get: client });
  }
  return clients;
}
