import type { Alert } from '../alert';
import type { CheckRequest, Trigger } from '../check-request';

/** Marks the guard's own SQS bodies, so that a stray message on the queue is told apart. */
export const CHECK_REQUEST_KIND = 'eks-endpoint-guard/check-request';
/** Every clientRequestToken the guard sends starts with this, so its own CloudTrail events are recognised. */
export const GUARD_TOKEN_PREFIX = 'eks-endpoint-guard-';

export interface TriggerContext {
  /** Where the guard runs: the region of a request whose event names none. */
  region: string;
  account?: string;
  /** The guard's own IAM role: its UpdateClusterConfig events are its own changes. */
  guardRoleArn?: string;
  now: Date;
}

export type NormalisedItem =
  | { kind: 'check'; request: CheckRequest; messageId?: string }
  /** An alert whose first publish failed, queued for another try. */
  | { kind: 'alert'; alert: Alert; messageId?: string; correlationId: string }
  | {
      kind: 'ignored';
      cluster?: string;
      region: string;
      reason: string;
      trigger: Trigger;
      correlationId: string;
      messageId?: string;
    }
  | { kind: 'unreadable'; reason: string; messageId?: string; correlationId: string };

export interface NormalisedEvent {
  shape: 'cloudtrail' | 'schedule' | 'sqs' | 'unknown';
  /** Set for the schedule: the caller lists the clusters and checks each one. */
  sweep?: { correlationId: string; trigger: Trigger };
  items: NormalisedItem[];
}
