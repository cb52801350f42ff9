import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MAX_EVENT_AGE } from './guard-function';

export interface GuardTriggersOptions {
  readonly fn: lambda.IFunction;
  /** Where events that could not be delivered after every retry land. */
  readonly deadLetters: sqs.IQueue;
  /** EventBridge `rate(...)` or `cron(...)` expression for the sweep. */
  readonly sweepSchedule: string;
}

export interface GuardTriggers {
  readonly endpointChangeRule: events.Rule;
  readonly sweepSchedule: events.Rule;
  /** Every rule, each dead-lettering into the dead-letter queue. */
  readonly rules: readonly events.Rule[];
}

/**
 * What starts the function, created in `scope`: the CloudTrail rule for endpoint changes
 * (`EndpointChangeRule`) and the periodic sweep (`SweepSchedule`).
 */
export function guardTriggers(scope: Construct, options: GuardTriggersOptions): GuardTriggers {
  const { fn, deadLetters } = options;
  // CloudTrail management events for endpoint changes that succeeded.
  const endpointChangeRule = new events.Rule(scope, 'EndpointChangeRule', {
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
  const sweepSchedule = new events.Rule(scope, 'SweepSchedule', {
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
  return { endpointChangeRule, sweepSchedule, rules: [endpointChangeRule, sweepSchedule] };
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
