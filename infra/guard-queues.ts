import { Duration, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { GuardNames } from '../functions/core/guard-names';

export interface GuardQueues {
  /** Failed deliveries of the rules and of the function's async invocations. */
  readonly deadLetters: sqs.Queue;
  /** Where the recheck queue redrives messages that failed every receive. */
  readonly recheckDeadLetters: sqs.Queue;
  /** Deferred re-checks and queued alerts, consumed by the function. */
  readonly recheckQueue: sqs.Queue;
}

/** The guard's three queues, created in `scope` (ids `DeadLetterQueue`, `RecheckDeadLetterQueue`, `RecheckQueue`). */
export function guardQueues(
  scope: Construct,
  options: {
    functionTimeout: Duration;
    names: Pick<GuardNames, 'recheckQueue' | 'deadLetterQueue' | 'recheckDeadLetterQueue'>;
  },
): GuardQueues {
  // Failed deliveries (EventBridge targets, Lambda async invocations) land here.
  // Fixed names: the protection SCP names them (core/guard-names.ts).
  const deadLetters = new sqs.Queue(scope, 'DeadLetterQueue', {
    queueName: options.names.deadLetterQueue,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // No queue of the account may redrive into it: only the rules and the function write here.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
  });
  for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    Validations.of(deadLetters).acknowledge({
      id,
      reason:
        'This queue is itself the dead-letter destination of the rules and the function; it is alarmed.',
    });
  }
  const recheckDeadLetters = new sqs.Queue(scope, 'RecheckDeadLetterQueue', {
    queueName: options.names.recheckDeadLetterQueue,
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
    queueName: options.names.recheckQueue,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: recheckVisibility(options.functionTimeout),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: recheckDeadLetters, maxReceiveCount: 5 },
  });
  return { deadLetters, recheckDeadLetters, recheckQueue };
}

/** Lambda's guidance for SQS sources: a visibility timeout of at least six times the function timeout. */
export function recheckVisibility(functionTimeout: Duration): Duration {
  return Duration.seconds(functionTimeout.toSeconds() * 6);
}

/** Who may legitimately write to the guard's queues, and read its dead letters. */
export interface GuardQueueWriters {
  /** The function's role: the only sender to, and consumer of, the recheck queue. */
  readonly role: iam.IRole;
  /** Rules whose targets dead-letter into `deadLetters` (EventBridge sends as events.amazonaws.com). */
  readonly rules: readonly events.IRule[];
  /**
   * The role people use to read, delete or purge dead letters (the `deadLetterOperatorRoleArn`
   * option); without one only the guard's role may, and the dead letters stay until they expire.
   */
  readonly operatorRoleArn?: string;
}

/** What takes a message off a queue, or hides it: denied on the dead-letter queues to all but the guard and the operator. */
const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:PurgeQueue'];

/**
 * Locks the queues to their writers with Deny statements next to the TLS-only one, so no
 * identity policy of the account can grant more:
 * - the recheck queue: only the function's role may send (a forged check request or alert would
 *   be acted on with the guard's role) or receive, delete, hide or purge messages (which drops
 *   checks, queued alerts, decisions and grace reverts);
 * - both dead-letter queues: only the function's role and the named operator role may receive,
 *   delete, hide or purge, so that failures cannot be hidden before the alarm fires;
 * - the dead-letter queue: only the function's role (Lambda writes async on-failure records with
 *   the execution role) and EventBridge for the guard's own rules (`aws:SourceArn`);
 * - the recheck dead-letter queue: nobody sends; SQS moves messages there itself, which is no
 *   SendMessage request and is governed by the redrive policy, not by the queue policy.
 */
export function restrictQueueWriters(queues: GuardQueues, writers: GuardQueueWriters): void {
  const anyone = [new iam.StarPrincipal()];
  queues.recheckQueue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyTheGuardRoleUsesThisQueue',
      effect: iam.Effect.DENY,
      principals: anyone,
      actions: ['sqs:SendMessage', ...CONSUME],
      resources: [queues.recheckQueue.queueArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers.role.roleArn } },
    }),
  );
  const readers = [writers.role.roleArn, ...(writers.operatorRoleArn ? [writers.operatorRoleArn] : [])];
  for (const [queue, sid] of [
    [queues.deadLetters, 'OnlyTheGuardAndOperatorTakeDeadLetters'],
    [queues.recheckDeadLetters, 'OnlyTheGuardAndOperatorTakeRecheckDeadLetters'],
  ] as const) {
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: anyone,
        actions: CONSUME,
        resources: [queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': readers } },
      }),
    );
  }
  queues.deadLetters.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyTheGuardRoleAndRulesSendHere',
      effect: iam.Effect.DENY,
      principals: anyone,
      actions: ['sqs:SendMessage'],
      resources: [queues.deadLetters.queueArn],
      // Denied unless one of the exceptions holds: a negated operator is true when the key is absent.
      conditions: {
        ArnNotEquals: {
          'aws:PrincipalArn': writers.role.roleArn,
          'aws:SourceArn': writers.rules.map((rule) => rule.ruleArn),
        },
      },
    }),
  );
  queues.recheckDeadLetters.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'NobodySendsHere',
      effect: iam.Effect.DENY,
      principals: anyone,
      actions: ['sqs:SendMessage'],
      resources: [queues.recheckDeadLetters.queueArn],
    }),
  );
}
