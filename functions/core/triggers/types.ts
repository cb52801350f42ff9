import type { Alert } from '../alert/alert';
import type { Delivery } from '../alert/deliveries';
import type { CheckRequest, Trigger } from '../check-request';
import type { QueuedDecisionEvent } from '../decision-event-message';
import type { QueuedDecision } from '../decision-message';

/** Marks the guard's own SQS bodies, so that a stray message on the queue is told apart. */
export const CHECK_REQUEST_KIND = 'eks-endpoint-guard/check-request';
/**
 * Every clientRequestToken the guard sends starts with this. It is never proof on its own (the
 * caller chooses the token): an own change is recognised by the CloudTrail identity first.
 */
export const GUARD_TOKEN_PREFIX = 'eks-endpoint-guard-';

export interface TriggerContext {
  /** Where the guard runs: the region of a request whose event names none. */
  region: string;
  /** The guard's own account: a trigger naming another one is ignored. Unknown: not checked. */
  account?: string;
  /** The guard's own IAM role: only its sessions' UpdateClusterConfig events are its own changes. */
  guardRoleArn?: string;
  /**
   * The role's unique id (`AROA...`): SQS reports a message sent by one of its sessions with the
   * SenderId `<id>:<session>`. Only such messages may carry alerts or the guard's own claims.
   */
  guardRoleId?: string;
  /** Caps a deadline read from a queued message at now + this. */
  recheckDeadlineMinutes?: number;
  /** The policy parameter (a name or an ARN): CloudTrail changes to it are policy changes. */
  policyParameterName?: string;
  now: Date;
}

/** Someone wrote or deleted the policy parameter. */
export interface PolicyChangeEvent {
  eventName: string;
  /** The parameter as the guard is configured with it. */
  parameter: string;
}

/**
 * What a recheck-queue record must prove before the guard honours the privileges it claims (an
 * alert, a delivery, a decision, a decision event, `byGuard`, `followUpdate`, `dueAt`): SenderId is
 * only what the record says, and a direct invoke writes the whole record. The guard asks SQS to
 * change the visibility of the record's receipt handle on the recheck queue, which succeeds only
 * for a message of that queue now in flight, and only the guard's role may receive those.
 */
export interface QueueProof {
  receiptHandle: string;
  /** What the record is worth when SQS does not confirm it: at most an ordinary check. */
  unproven: NormalisedItem;
}

export type NormalisedItem =
  | { kind: 'check'; request: CheckRequest; messageId?: string; proof?: QueueProof }
  /** An alert whose first publish failed, queued for another try. */
  | { kind: 'alert'; alert: Alert; messageId?: string; correlationId: string; proof?: QueueProof }
  /** One form of an alert (chat, Security Hub) whose delivery failed, queued for another try. */
  | { kind: 'delivery'; delivery: Delivery; messageId?: string; correlationId: string; proof?: QueueProof }
  /** A decision already made and acted on, whose delivery is finished from the queue. */
  | {
      kind: 'decision';
      decision: QueuedDecision;
      messageId?: string;
      correlationId: string;
      proof?: QueueProof;
    }
  | {
      kind: 'ignored';
      cluster?: string;
      region: string;
      reason: string;
      trigger: Trigger;
      correlationId: string;
      messageId?: string;
    }
  | { kind: 'unreadable'; reason: string; messageId?: string; correlationId: string }
  /** A decision event the central bus refused, queued to be sent again. */
  | {
      kind: 'decision-event';
      event: QueuedDecisionEvent;
      messageId?: string;
      correlationId: string;
      proof?: QueueProof;
    }
  | {
      kind: 'policy-change';
      change: PolicyChangeEvent;
      region: string;
      trigger: Trigger;
      correlationId: string;
      messageId?: string;
    };

export interface NormalisedEvent {
  shape: 'cloudtrail' | 'schedule' | 'sqs' | 'unknown';
  /** Set for the schedule: the caller lists the clusters and checks each one. */
  sweep?: { correlationId: string; trigger: Trigger };
  items: NormalisedItem[];
}
