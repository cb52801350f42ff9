import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  Arn,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { DEFAULT_POLICY_PARAMETER_NAME, PolicyError, parsePolicy } from '../functions/core/policy';
import { GuardObservability, guardMetrics, METRICS_NAMESPACE, SERVICE_NAME } from './observability';

/**
 * What the account may do with the alert key through IAM: administration (including changing
 * the policy, so nobody is locked out) and the data-key calls SNS makes for publishers.
 */
const KEY_ACCOUNT_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:ListRetirableGrants',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export const DEFAULT_POLICY_FILE = path.join(__dirname, 'default-policy.json');
export const DEFAULT_SWEEP_SCHEDULE = 'rate(1 hour)';
export const DEFAULT_LOG_RETENTION_DAYS = 365;
export const DEFAULT_RECHECK_DEADLINE_MINUTES = 120;

/**
 * The function uses the Lambda runtime's AWS SDK instead of bundling it: measured (docs/BENCHMARKS.md),
 * the SDK is ~90 % of a bundled function and every byte of it is parsed at cold start, while the
 * runtime's copy is loaded client by client, only when a decision first needs it.
 */
export const BUNDLE_AWS_SDK = false;

/** Stack traces need file and line only: without a copy of the sources the map is a quarter the size. */
export const SOURCES_IN_MAP = false;

/** The newest Node.js runtime Lambda offers (middy 7 needs >= 22); explicit, never a default. */
export const REMEDIATOR_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Parallel batches from the recheck queue: bounds EKS calls however deep the queue gets. */
export const RECHECK_MAX_CONCURRENCY = 5;

/** A sweep of ~100 clusters at concurrency 8 plus following the updates it starts. */
const FUNCTION_TIMEOUT = Duration.minutes(5);
/** The oldest trigger worth acting on; the next sweep covers anything dropped. */
const MAX_EVENT_AGE = Duration.hours(2);

/** A stack property or context value that cannot work: the message is one line. */
export class GuardConfigError extends Error {
  override readonly name = 'GuardConfigError';
}

export interface EndpointGuardStackProps extends StackProps {
  /** JSON policy file installed as the policy parameter; validated at synth time. */
  readonly policyFile?: string;
  /** Name or ARN of an existing policy parameter; when set, none is created. */
  readonly policyParameter?: string;
  readonly notificationEmails?: readonly string[];
  /** EventBridge `rate(...)` or `cron(...)` expression for the sweep. */
  readonly sweepSchedule?: string;
  readonly logRetentionDays?: number;
  /** Create a multi-region CloudTrail trail (EventBridge only sees API calls a trail logs). */
  readonly createTrail?: boolean;
  /** Reserved concurrency for the function; unset means none is reserved. Must leave room for rechecks. */
  readonly reservedConcurrency?: number;
  /** 0 keeps audit records forever. */
  readonly auditRetentionDays?: number;
  readonly recheckDeadlineMinutes?: number;
}

export class EndpointGuardStack extends Stack {
  constructor(scope: Construct, id: string, props: EndpointGuardStackProps = {}) {
    super(scope, id, props);

    validate(props);
    const policy = this.policyParameter(props);
    const logRetention = (props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS) as logs.RetentionDays;

    // Alerts: a customer managed key, because CloudWatch alarms cannot use the AWS managed SNS key.
    // The key policy names every action it hands to the account (no `kms:*`): IAM policies of the
    // account can then grant use and administration of the key, as with the default policy.
    const topicKey = new kms.Key(this, 'AlertsKey', {
      description: 'eks-endpoint-guard alert topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'EnableIamPoliciesOfThisAccount',
            principals: [new iam.AccountRootPrincipal()],
            actions: KEY_ACCOUNT_ACTIONS,
            resources: ['*'],
          }),
        ],
      }),
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Alerts', {
      displayName: 'EKS endpoint guard',
      masterKey: topicKey,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const email of props.notificationEmails ?? []) {
      topic.addSubscription(new EmailSubscription(email));
    }
    for (const subscription of topic.node.children.filter((c) => c instanceof sns.Subscription)) {
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'E-mail subscriptions: SNS retries delivery itself and every alerted decision is also kept in the audit table and logs, so a subscription DLQ would only be an unread copy.',
      });
    }

    // Failed deliveries (EventBridge targets, Lambda async invocations) land here.
    const deadLetters = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(deadLetters).acknowledge({
        id,
        reason:
          'This queue is itself the dead-letter destination of the rules and the function; it is alarmed.',
      });
    }
    const recheckDeadLetters = new sqs.Queue(this, 'RecheckDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(recheckDeadLetters).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue of the recheck queue; a DLQ of a DLQ adds nothing. It is alarmed.',
    });
    const recheckQueue = new sqs.Queue(this, 'RecheckQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's guidance for SQS sources: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: recheckDeadLetters, maxReceiveCount: 5 },
    });

    const table = new dynamodb.Table(this, 'AuditTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Only set on records when auditRetentionDays > 0.
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, partitionKey] of [
      ['byDay', 'day'],
      ['byOutcome', 'outcome'],
    ] as const) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      });
    }

    const logGroup = new logs.LogGroup(this, 'RemediatorLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role: the managed basic-execution policy would allow logs on every log group.
    const role = new iam.Role(this, 'RemediatorRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'eks-endpoint-guard remediator',
    });
    logGroup.grantWrite(role);
    this.grantGuardPermissions(role, { policy, topic, topicKey, recheckQueue, deadLetters, table });

    const fn = new NodejsFunction(this, 'Remediator', {
      entry: path.join(__dirname, '..', 'functions', 'remediator', 'handler.ts'),
      handler: 'handler',
      runtime: REMEDIATOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      description: 'Keeps the EKS API server endpoint of every cluster compliant with the policy',
      environment: {
        POLICY_PARAMETER_NAME: policy.name,
        TOPIC_ARN: topic.topicArn,
        RECHECK_QUEUE_URL: recheckQueue.queueUrl,
        AUDIT_TABLE_NAME: table.tableName,
        GUARD_ROLE_ARN: role.roleArn,
        POLICY_CACHE_SECONDS: '60',
        RECHECK_DEADLINE_MINUTES: String(props.recheckDeadlineMinutes ?? DEFAULT_RECHECK_DEADLINE_MINUTES),
        FLIP_FLOP_THRESHOLD: '3',
        FLIP_FLOP_WINDOW_MINUTES: '60',
        AUDIT_RETENTION_DAYS: String(props.auditRetentionDays ?? 0),
        SWEEP_CONCURRENCY: '8',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.CJS,
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

    // CloudTrail management events for endpoint changes that succeeded.
    new events.Rule(this, 'EndpointChangeRule', {
      description: 'EKS CreateCluster and UpdateClusterConfig calls that succeeded',
      eventPattern: {
        source: ['aws.eks'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['eks.amazonaws.com'],
          eventName: ['CreateCluster', 'UpdateClusterConfig'],
          errorCode: events.Match.doesNotExist(),
        },
      },
      targets: [
        new targets.LambdaFunction(fn, {
          deadLetterQueue: deadLetters,
          maxEventAge: MAX_EVENT_AGE,
          retryAttempts: 20,
        }),
      ],
    });
    new events.Rule(this, 'SweepSchedule', {
      description: 'Periodic sweep of every cluster: covers events that were missed',
      schedule: events.Schedule.expression(props.sweepSchedule ?? DEFAULT_SWEEP_SCHEDULE),
      targets: [
        // A sweep replaced by the next one is not worth retrying for long.
        new targets.LambdaFunction(fn, {
          deadLetterQueue: deadLetters,
          maxEventAge: Duration.hours(1),
          retryAttempts: 3,
        }),
      ],
    });

    const alarms = this.addAlarms({ fn, topic, queues: { deadLetters, recheckDeadLetters } });
    const observability = new GuardObservability(this, 'Observability', {
      fn,
      logGroup,
      deadLetters,
      recheckDeadLetters,
      alarms,
      functionTimeout: FUNCTION_TIMEOUT,
    });
    if (props.createTrail) this.addTrail();

    new CfnOutput(this, 'TopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'RecheckQueueUrl', { value: recheckQueue.queueUrl });
    new CfnOutput(this, 'AuditTableName', { value: table.tableName });
    new CfnOutput(this, 'PolicyParameterName', { value: policy.name });
    new CfnOutput(this, 'FunctionName', { value: fn.functionName });
    new CfnOutput(this, 'DashboardName', { value: observability.dashboard.dashboardName });
  }

  /** The policy parameter: created from a validated file, or an existing one given by name or ARN. */
  private policyParameter(props: EndpointGuardStackProps): { name: string; arn: string } {
    const existing = props.policyParameter?.trim();
    if (existing) {
      if (existing.startsWith('arn:')) {
        // A shared parameter (e.g. through RAM) is read by its full ARN.
        const { service, resource } = Arn.split(existing, ArnFormat.SLASH_RESOURCE_NAME);
        if (service !== 'ssm' || resource !== 'parameter') {
          throw new GuardConfigError(`policyParameter ${existing}: expected an SSM parameter ARN`);
        }
        return { name: existing, arn: existing };
      }
      const name = existing.startsWith('/') ? existing : `/${existing}`;
      const arn = this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });
      return { name: existing, arn };
    }

    const file = props.policyFile ?? DEFAULT_POLICY_FILE;
    const text = readPolicyFile(file);
    parsePolicy(text, file);
    const bytes = Buffer.byteLength(text);
    if (bytes > 8192) throw new PolicyError(file, `is ${bytes} bytes; a parameter holds at most 8192`);
    const parameter = new ssm.StringParameter(this, 'PolicyParameter', {
      parameterName: DEFAULT_POLICY_PARAMETER_NAME,
      description: 'eks-endpoint-guard policy (JSON)',
      stringValue: text,
      // Standard parameters hold 4 KB; larger policies need the advanced tier.
      tier: bytes > 4096 ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
    });
    return { name: parameter.parameterName, arn: parameter.parameterArn };
  }

  /** Exactly what the remediator calls, no broader grant helpers. */
  private grantGuardPermissions(
    role: iam.Role,
    res: {
      policy: { arn: string };
      topic: sns.ITopic;
      topicKey: kms.IKey;
      recheckQueue: sqs.IQueue;
      deadLetters: sqs.IQueue;
      table: dynamodb.Table;
    },
  ): void {
    const clusters = this.formatArn({ service: 'eks', resource: 'cluster', resourceName: '*' });
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadAndRemediateClusters',
        actions: ['eks:DescribeCluster', 'eks:UpdateClusterConfig', 'eks:DescribeUpdate'],
        resources: [clusters],
      }),
      // ListClusters supports no resource-level permissions: it has to be '*'.
      new iam.PolicyStatement({ sid: 'ListClusters', actions: ['eks:ListClusters'], resources: ['*'] }),
      // EC2 describe calls support no resource-level permissions: lockout guard (VPC DNS settings, DHCP options).
      new iam.PolicyStatement({
        sid: 'InspectClusterVpc',
        actions: [
          'ec2:DescribeVpcAttribute',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadPolicy',
        actions: ['ssm:GetParameter'],
        resources: [res.policy.arn],
      }),
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [res.topic.topicArn],
      }),
      // SNS encrypts with the topic key on the publisher's behalf.
      new iam.PolicyStatement({
        sid: 'UseAlertsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [res.topicKey.keyArn],
      }),
      // Deferred re-checks, and the async on-failure destination.
      new iam.PolicyStatement({
        sid: 'SendToQueues',
        actions: ['sqs:SendMessage'],
        resources: [res.recheckQueue.queueArn, res.deadLetters.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'WriteAudit',
        actions: ['dynamodb:PutItem'],
        resources: [res.table.tableArn],
      }),
      new iam.PolicyStatement({
        sid: 'QueryAudit',
        actions: ['dynamodb:Query'],
        resources: [res.table.tableArn, `${res.table.tableArn}/index/*`],
      }),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);

    const policy = role.node.findChild('DefaultPolicy');
    const acknowledgements: Record<string, string> = {
      'AwsSolutions-IAM5[Resource::*]':
        'Only actions without resource-level permissions use "*": eks:ListClusters, ec2:DescribeVpcAttribute, ec2:DescribeSubnets, ec2:DescribeVpcs, ec2:DescribeDhcpOptions and the X-Ray trace upload.',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster/*]':
        'The guard must check and fix every cluster of the account and region, including clusters created later.',
      [`AwsSolutions-IAM5[Resource::<${this.getLogicalId(res.table.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*]`]:
        'Query on the audit table indexes byDay and byOutcome, which are part of this stack.',
    };
    for (const [id, reason] of Object.entries(acknowledgements))
      Validations.of(policy).acknowledge({ id, reason });
  }

  private addAlarms(res: {
    fn: lambda.IFunction;
    topic: sns.ITopic;
    queues: { deadLetters: sqs.IQueue; recheckDeadLetters: sqs.IQueue };
  }): cloudwatch.Alarm[] {
    const action = new SnsAction(res.topic);
    const alarms: cloudwatch.Alarm[] = [];
    // The dashboard graphs the same metric definitions.
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      alarms.push(created);
    };

    alarm(
      'DeadLettersAlarm',
      'Events, sweeps or invocations failed after all retries: see the dead-letter queue',
      guardMetrics.queueDepth(res.queues.deadLetters),
    );
    alarm(
      'RecheckDeadLettersAlarm',
      'Deferred re-checks failed after all receives: see the recheck dead-letter queue',
      guardMetrics.queueDepth(res.queues.recheckDeadLetters),
    );
    alarm('FunctionErrorsAlarm', 'The remediator function failed', guardMetrics.functionErrors(res.fn));
    alarm(
      'FailedDecisionsAlarm',
      'The guard could not decide or act on a cluster (outcome "failed")',
      guardMetrics.decisions('failed'),
    );
    alarm(
      'AlertFailuresAlarm',
      'Alerts could not be published to the topic; they are queued and retried, but e-mail may lag',
      guardMetrics.alertFailures(),
    );
    return alarms;
  }

  /** A multi-region management-events trail, for accounts that have none logging. */
  private addTrail(): void {
    const accessLogs = new s3.Bucket(this, 'TrailAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bucket = new s3.Bucket(this, 'TrailBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'trail-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new cloudtrail.Trail(this, 'Trail', {
      bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      enableFileValidation: true,
    });
  }
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
}

function validate(props: EndpointGuardStackProps): void {
  if (props.policyFile && props.policyParameter) {
    throw new GuardConfigError('policyFile and policyParameter exclude each other: give one');
  }
  const retention = props.logRetentionDays;
  // Any CloudWatch Logs period except "never expire": logs are kept bounded.
  const periods = Object.values(logs.RetentionDays).filter((days) => days !== logs.RetentionDays.INFINITE);
  if (retention !== undefined && !(periods as unknown[]).includes(retention)) {
    throw new GuardConfigError(
      `logRetentionDays ${retention}: not a CloudWatch Logs retention period (e.g. 30, 90, 365)`,
    );
  }
  // The function refuses to start outside the ranges of its configuration schema.
  inRange('recheckDeadlineMinutes', props.recheckDeadlineMinutes, 1, 24 * 60);
  inRange('auditRetentionDays', props.auditRetentionDays, 0, 3650);
  // Below this the recheck poller would be throttled and healthy messages would end in the DLQ.
  const reserved = props.reservedConcurrency;
  if (reserved !== undefined && reserved <= RECHECK_MAX_CONCURRENCY) {
    throw new GuardConfigError(
      `reservedConcurrency ${reserved}: must be above ${RECHECK_MAX_CONCURRENCY}, the recheck queue's own concurrency`,
    );
  }
}

function inRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new GuardConfigError(`${name} ${value}: expected an integer from ${min} to ${max}`);
  }
}
