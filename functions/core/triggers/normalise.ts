import type { CheckRequest } from '../check-request';
import { boundedId } from '../ids';
import { quote as show } from '../quote';
import { fromCloudTrail, otherEventBridge } from './cloudtrail';
import { fromSqsRecord } from './queue';
import { clip, compact, field, fingerprint, identifier, type Json, record, text } from './read';
import { CHECK_REQUEST_KIND, type NormalisedEvent, type TriggerContext } from './types';

export { isGuardOwnChange, isSessionOfRole, sameParameter } from './cloudtrail';
export {
  CHECK_REQUEST_KIND,
  GUARD_TOKEN_PREFIX,
  type NormalisedEvent,
  type NormalisedItem,
  type PolicyChangeEvent,
  type TriggerContext,
} from './types';

/**
 * Turns whatever invoked the guard (an EventBridge CloudTrail event, the sweep schedule, a batch of
 * recheck messages, or a bare CloudTrail record saved from the console) into check requests.
 * Never throws: what it cannot read becomes an `unreadable` item with a one-line reason.
 */
export function normaliseEvent(event: unknown, context: TriggerContext): NormalisedEvent {
  try {
    return classify(event, context);
  } catch (error) {
    // Last line of defence: one odd input must not fail a whole batch.
    const reason = `could not read the event (${error instanceof Error ? error.message : 'unknown error'})`;
    return { shape: 'unknown', items: [{ kind: 'unreadable', reason, correlationId: fingerprint(event) }] };
  }
}

/** The SQS body of a deferred or fanned-out check. */
export function checkRequestMessage(request: CheckRequest): string {
  return JSON.stringify({ kind: CHECK_REQUEST_KIND, version: 1, request });
}

function classify(event: unknown, context: TriggerContext): NormalisedEvent {
  if (!record(event)) {
    return unreadableEvent(event, `expected an event object, got ${show(event)}`);
  }
  const records = field(event, 'Records');
  if (Array.isArray(records)) {
    if (!records.some((r) => field(r, 'eventSource') === 'aws:sqs')) {
      return unreadableEvent(event, 'the event has a Records list but no SQS messages');
    }
    return { shape: 'sqs', items: records.map((r, index) => fromSqsRecord(r, index, context)) };
  }
  const detailType = field(event, 'detail-type');
  const source = field(event, 'source');
  if (detailType === 'Scheduled Event' && source === 'aws.events') {
    return { shape: 'schedule', sweep: sweepOf(event, context), items: [] };
  }
  if (detailType === 'AWS API Call via CloudTrail') {
    return { shape: 'cloudtrail', items: [fromCloudTrail(field(event, 'detail'), event, context)] };
  }
  if (typeof detailType === 'string' && typeof source === 'string') {
    return { shape: 'unknown', items: [otherEventBridge(event, detailType, source, context)] };
  }
  // A bare CloudTrail record, as the CloudTrail console shows and saves it.
  if (typeof field(event, 'eventSource') === 'string' && typeof field(event, 'eventVersion') === 'string') {
    return { shape: 'cloudtrail', items: [fromCloudTrail(event, undefined, context)] };
  }
  const keys = clip(Object.keys(event).slice(0, 5).join(', '));
  return unreadableEvent(event, `not an EventBridge, schedule or SQS event (fields: ${keys || 'none'})`);
}

function sweepOf(event: Json, context: TriggerContext): NormalisedEvent['sweep'] {
  const eventId = identifier(field(event, 'id'));
  const eventTime = text(field(event, 'time')) ?? context.now.toISOString();
  return {
    // An event id may itself be 128 characters: the sweep id stays within the id limit.
    correlationId: boundedId(`sweep-${eventId ?? fingerprint(event)}`),
    trigger: compact({ source: 'sweep', eventId, eventTime }),
  };
}

function unreadableEvent(event: unknown, reason: string): NormalisedEvent {
  const correlationId = identifier(field(event, 'id')) ?? fingerprint(event);
  return { shape: 'unknown', items: [{ kind: 'unreadable', reason, correlationId }] };
}
