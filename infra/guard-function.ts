import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { GuardNames } from '../functions/core/guard-names';
import { DEFAULT_SWEEP_CONCURRENCY } from '../functions/wiring/config';
import { type GuardPermissionResources, grantGuardPermissions } from './guard-permissions';
import { recheckVisibility } from './guard-queues';
import { logGroupKey } from './keys';
import { METRICS_NAMESPACE, SERVICE_NAME } from './observability';

/**
 * The function uses the Lambda runtime's AWS SDK instead of bundling it: measured (docs/BENCHMARKS.md),
 * the SDK is ~90 % of a bundled function and every byte of it is parsed at cold start, while the
 * runtime's copy is loaded client by client, only when a decision first needs it.
 */
export const BUNDLE_AWS_SDK = false;

/** Stack traces need file and line only: without a copy of the sources the map is a quarter the size. */
export const SOURCES_IN_MAP = false;

/**
 * The bundle is written as UTF-8: the Japanese alert phrases then take 3 bytes a character instead
 * of esbuild's default 6-byte `\uXXXX` escapes (about 11 kB less to load at cold start). Passed as
 * an esbuild argument: aws-cdk-lib 2.276 documents a `charset` bundling option but does not pass it on.
 */
export const BUNDLE_CHARSET = 'utf8';

/** The newest Node.js runtime Lambda offers (middy 7 needs >= 22); explicit, never a default. */
export const REMEDIATOR_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Parallel batches from the recheck queue: bounds EKS calls however deep the queue gets. */
export const RECHECK_MAX_CONCURRENCY = 5;

/** A sweep of every cluster at its default concurrency plus following the updates it starts. */
export const FUNCTION_TIMEOUT = Duration.minutes(5);
/** The oldest trigger worth acting on; the next sweep covers anything dropped. */
export const MAX_EVENT_AGE = Duration.hours(2);

export interface GuardFunctionOptions extends GuardPermissionResources {
  readonly recheckQueue: sqs.Queue;
  readonly policyParameterName: string;
  readonly logRetentionDays: number;
  readonly reservedConcurrency?: number;
  readonly recheckDeadlineMinutes: number;
  readonly auditRetentionDays: number;
  /** The fixed names of the role and the function (core/guard-names.ts). */
  readonly names: Pick<GuardNames, 'role' | 'function'>;
  /**
   * false: the log group keeps CloudWatch Logs' own encryption at rest instead of a customer
   * managed key (organisation mode, where a key per account and region is most of the cost).
   * @default true
   */
  readonly logsKey?: boolean;
}

export interface GuardFunction {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The customer managed key of the log group; absent with `logsKey: false`. */
  readonly logsKey?: kms.Key;
}

/**
 * The remediator function (id `Remediator`) with its own role (`RemediatorRole`, granted exactly
 * what the function calls), log group (`RemediatorLogs`, encrypted with `RemediatorLogsKey`) and
 * recheck queue event source,
 * created in `scope`.
 */
export function guardFunction(scope: Construct, options: GuardFunctionOptions): GuardFunction {
  // Retained with the log group: deleting the key would make the retained logs unreadable.
  const logsKey =
    options.logsKey === false
      ? undefined
      : logGroupKey(scope, 'RemediatorLogsKey', { removalPolicy: RemovalPolicy.RETAIN });
  const logGroup = new logs.LogGroup(scope, 'RemediatorLogs', {
    retention: options.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
    encryptionKey: logsKey,
  });

  // An explicit role: the managed basic-execution policy would allow logs on every log group.
  // A fixed name: the central bus policy and the protection SCP name it (core/guard-names.ts).
  const role = new iam.Role(scope, 'RemediatorRole', {
    roleName: options.names.role,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'eks-endpoint-guard remediator',
  });
  logGroup.grantWrite(role);
  grantGuardPermissions(role, options);

  const { topic, recheckQueue, table, deadLetters } = options;
  const fn = new NodejsFunction(scope, 'Remediator', {
    functionName: options.names.function,
    entry: path.join(__dirname, '..', 'functions', 'remediator', 'handler.ts'),
    handler: 'handler',
    runtime: REMEDIATOR_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: FUNCTION_TIMEOUT,
    tracing: lambda.Tracing.ACTIVE,
    role,
    logGroup,
    reservedConcurrentExecutions: options.reservedConcurrency,
    description: 'Keeps the EKS API server endpoint of every cluster compliant with the policy',
    environment: {
      POLICY_PARAMETER_NAME: options.policyParameterName,
      TOPIC_ARN: topic.topicArn,
      RECHECK_QUEUE_URL: recheckQueue.queueUrl,
      // A queued record's privileges are confirmed by resetting its visibility to the queue's own.
      RECHECK_VISIBILITY_SECONDS: String(recheckVisibility(FUNCTION_TIMEOUT).toSeconds()),
      AUDIT_TABLE_NAME: table.tableName,
      GUARD_ROLE_ARN: role.roleArn,
      // The role's unique id (AROA...): the SenderId of the guard's own queue messages starts with it.
      GUARD_ROLE_ID: role.roleId,
      POLICY_CACHE_SECONDS: '60',
      RECHECK_DEADLINE_MINUTES: String(options.recheckDeadlineMinutes),
      FLIP_FLOP_THRESHOLD: '3',
      FLIP_FLOP_WINDOW_MINUTES: '60',
      AUDIT_RETENTION_DAYS: String(options.auditRetentionDays),
      SWEEP_CONCURRENCY: String(DEFAULT_SWEEP_CONCURRENCY),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      format: OutputFormat.CJS,
      esbuildArgs: { '--charset': BUNDLE_CHARSET },
      minify: true,
      sourceMap: true,
      sourcesContent: SOURCES_IN_MAP,
      bundleAwsSDK: BUNDLE_AWS_SDK,
      forceDockerBundling: false,
    },
    // Deferred re-checks loop function -> recheck queue -> function by design; the recheck
    // deadline ends that chain, not Lambda's loop breaker (which would drop it after 16 hops).
    recursiveLoop: lambda.RecursiveLoop.ALLOW,
    retryAttempts: 2,
    maxEventAge: MAX_EVENT_AGE,
    // Not SqsDestination: it also grants queue reads; the role already may send here.
    onFailure: { bind: () => ({ destination: deadLetters.queueArn }) },
  });
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      'Async failures go to the on-failure destination (the same DLQ) with the error attached; a DeadLetterConfig as well would deliver every failure twice.',
  });
  fn.addEventSource(
    new SqsEventSource(recheckQueue, {
      batchSize: 10,
      reportBatchItemFailures: true,
      maxConcurrency: RECHECK_MAX_CONCURRENCY,
    }),
  );
  for (const child of fn.node.children.filter((c) => c instanceof lambda.EventSourceMapping)) {
    Validations.of(child).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'SQS event source mappings do not support on-failure destinations; the recheck queue redrives to its own alarmed DLQ.',
    });
  }
  return { fn, role, logGroup, logsKey };
}
