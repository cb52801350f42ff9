import { Arn, ArnFormat, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { GuardNames } from '../functions/core/guard-names';
import { MAX_EVENT_AGE } from './guard-function';
import type { GuardPolicyParameter } from './policy-parameter';

export interface GuardTriggersOptions {
  readonly fn: lambda.IFunction;
  /** The policy parameter: changes to it are events for the function too. */
  readonly policy: GuardPolicyParameter;
  /** Where events that could not be delivered after every retry land. */
  readonly deadLetters: sqs.IQueue;
  /** EventBridge `rate(...)` or `cron(...)` expression for the sweep. */
  readonly sweepSchedule: string;
  /** The rules' fixed names (core/guard-names.ts): the protection SCP names them. */
  readonly names: Pick<GuardNames, 'endpointChangeRule' | 'policyChangeRule' | 'sweepRule'>;
}

export interface GuardTriggers {
  readonly endpointChangeRule: events.Rule;
  readonly policyChangeRule: events.Rule;
  readonly sweepSchedule: events.Rule;
  /** Every rule, each dead-lettering into the dead-letter queue. */
  readonly rules: readonly events.Rule[];
}

/** The EKS calls that change a cluster's endpoint or its exemption tag. */
export const EKS_EVENT_NAMES = ['CreateCluster', 'UpdateClusterConfig', 'TagResource', 'UntagResource'];
/** The Parameter Store calls that change or remove the policy parameter's value or labels. */
export const POLICY_EVENT_NAMES = [
  'PutParameter',
  'DeleteParameter',
  'DeleteParameters',
  'LabelParameterVersion',
];

/**
 * What starts the function, created in `scope`: the CloudTrail rules for endpoint and tag
 * changes (`EndpointChangeRule`) and for policy changes (`PolicyChangeRule`), and the periodic
 * sweep (`SweepSchedule`).
 */
export function guardTriggers(scope: Construct, options: GuardTriggersOptions): GuardTriggers {
  const { fn, deadLetters } = options;
  const eventTarget = () =>
    new targets.LambdaFunction(fn, {
      deadLetterQueue: deadLetters,
      maxEventAge: MAX_EVENT_AGE,
      retryAttempts: 20,
    });
  // CloudTrail management events for endpoint and tag changes that succeeded. The function
  // decides what a TagResource means (only the exemption tag on a cluster matters).
  const endpointChangeRule = new events.Rule(scope, 'EndpointChangeRule', {
    ruleName: options.names.endpointChangeRule,
    description: 'EKS CreateCluster, UpdateClusterConfig, TagResource and UntagResource calls that succeeded',
    eventPattern: {
      source: ['aws.eks'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['eks.amazonaws.com'],
        eventName: EKS_EVENT_NAMES,
        errorCode: events.Match.doesNotExist(),
      },
    },
    targets: [eventTarget()],
  });
  const policyChangeRule = new events.Rule(scope, 'PolicyChangeRule', {
    ruleName: options.names.policyChangeRule,
    description: 'Parameter Store calls that changed or deleted the policy parameter',
    eventPattern: policyChangePattern(options.policy),
    targets: [eventTarget()],
  });
  const sweepSchedule = new events.Rule(scope, 'SweepSchedule', {
    ruleName: options.names.sweepRule,
    description: 'Periodic sweep of every cluster: covers events that were missed',
    schedule: events.Schedule.expression(options.sweepSchedule),
    targets: [
      // A sweep replaced by the next one is not worth retrying for long.
      new targets.LambdaFunction(fn, {
        deadLetterQueue: deadLetters,
        maxEventAge: Duration.hours(1),
        retryAttempts: 3,
      }),
    ],
  });
  return {
    endpointChangeRule,
    policyChangeRule,
    sweepSchedule,
    rules: [endpointChangeRule, policyChangeRule, sweepSchedule],
  };
}

/**
 * Successful Parameter Store writes naming the policy parameter: `requestParameters.name` (or an
 * element of `names` for DeleteParameters) is the name or the ARN, as the caller gave it. A
 * parameter given by ARN changes only in the account that owns it, so the rule is limited to it.
 */
export function policyChangePattern(policy: GuardPolicyParameter): events.EventPattern {
  let names = [policy.name, policy.arn];
  let account: string[] | undefined;
  if (!Token.isUnresolved(policy.name) && policy.name.startsWith('arn:')) {
    const { resourceName, account: owner } = Arn.split(policy.name, ArnFormat.SLASH_RESOURCE_NAME);
    // The ARN drops the leading slash of a hierarchical name: match the name either way.
    names = [policy.name, ...(resourceName ? [`/${resourceName}`, resourceName] : [])];
    account = owner ? [owner] : undefined;
  }
  return {
    source: ['aws.ssm'],
    detailType: ['AWS API Call via CloudTrail'],
    ...(account ? { account } : {}),
    detail: {
      eventSource: ['ssm.amazonaws.com'],
      eventName: POLICY_EVENT_NAMES,
      errorCode: events.Match.doesNotExist(),
      $or: [{ requestParameters: { name: names } }, { requestParameters: { names } }],
    },
  };
}

/**
 * A multi-region management-events trail (`Trail`) with its private, logged bucket, created in
 * `scope`: for accounts that have no trail logging (EventBridge only sees API calls a trail logs).
 */
export function guardTrail(scope: Construct): cloudtrail.Trail {
  const accessLogs = new s3.Bucket(scope, 'TrailAccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const bucket = new s3.Bucket(scope, 'TrailBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'trail-bucket/',
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new cloudtrail.Trail(scope, 'Trail', {
    bucket,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    managementEvents: cloudtrail.ReadWriteType.ALL,
    enableFileValidation: true,
  });
}
