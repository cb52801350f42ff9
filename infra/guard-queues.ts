import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface GuardQueues {
  /** Failed deliveries of the rules and of the function's async invocations. */
  readonly deadLetters: sqs.Queue;
  /** Where the recheck queue redrives messages that failed every receive. */
  readonly recheckDeadLetters: sqs.Queue;
  /** Deferred re-checks and queued alerts, consumed by the function. */
  readonly recheckQueue: sqs.Queue;
}

/** The guard's three queues, created in `scope` (ids `DeadLetterQueue`, `RecheckDeadLetterQueue`, `RecheckQueue`). */
export function guardQueues(scope: Construct, options: { functionTimeout: Duration }): GuardQueues {
  // Failed deliveries (EventBridge targets, Lambda async invocations) land here.
  const deadLetters = new sqs.Queue(scope, 'DeadLetterQueue', {
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
  const recheckDeadLetters = new sqs.Queue(scope, 'RecheckDeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(recheckDeadLetters).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason:
      'This queue is the dead-letter queue of the recheck queue; a DLQ of a DLQ adds nothing. It is alarmed.',
  });
  const recheckQueue = new sqs.Queue(scope, 'RecheckQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // Lambda's guidance for SQS sources: at least six times the function timeout.
    visibilityTimeout: Duration.seconds(options.functionTimeout.toSeconds() * 6),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: recheckDeadLetters, maxReceiveCount: 5 },
  });
  return { deadLetters, recheckDeadLetters, recheckQueue };
}
