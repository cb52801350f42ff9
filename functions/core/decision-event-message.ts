import * as z from 'zod/mini';
import {
  DECISION_DETAIL_TYPE,
  type DecisionEventEntry,
  type EventTarget,
  MAX_ENTRY_BYTES,
  SWEEP_DETAIL_TYPE,
} from './decision-event';

/**
 * A decision event (or sweep heartbeat) the central bus refused travels through the recheck queue,
 * so that an unreachable central account delays the organisation's copy but never loses it. The
 * message names no bus and no source: the guard sends it again to its own configured bus, as its
 * own source, so a message cannot redirect events or speak for another sender.
 */
export const DECISION_EVENT_MESSAGE_KIND = 'eks-endpoint-guard/decision-event';

/** What a queued entry keeps of a PutEvents entry. */
export interface QueuedDecisionEvent {
  detailType: typeof DECISION_DETAIL_TYPE | typeof SWEEP_DETAIL_TYPE;
  detail: string;
  resources: string[];
}

const QueuedEventSchema: z.ZodMiniType<QueuedDecisionEvent> = z.object({
  detailType: z.enum([DECISION_DETAIL_TYPE, SWEEP_DETAIL_TYPE]),
  detail: z.string().check(z.minLength(2), z.maxLength(MAX_ENTRY_BYTES)),
  resources: z
    .array(z.string().check(z.regex(/^arn:aws[a-z-]*:eks:/), z.maxLength(2048)))
    .check(z.maxLength(1)),
});

export function decisionEventMessage(entry: DecisionEventEntry): string {
  const event: QueuedDecisionEvent = {
    detailType: entry.DetailType as QueuedDecisionEvent['detailType'],
    detail: entry.Detail,
    resources: entry.Resources,
  };
  return JSON.stringify({ kind: DECISION_EVENT_MESSAGE_KIND, version: 1, event });
}

/** The event a queue message carries, or why it cannot be read (one line). */
export function decisionEventOfMessage(message: unknown): QueuedDecisionEvent | string {
  if ((message as { version?: unknown } | null)?.version !== 1) return 'version: expected 1';
  const parsed = QueuedEventSchema.safeParse((message as { event?: unknown }).event);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    return `event.${issue?.path.join('.') ?? ''}: not a valid decision event`;
  }
  try {
    JSON.parse(parsed.data.detail);
  } catch {
    return 'event.detail: not JSON';
  }
  return parsed.data;
}

/** The PutEvents entry of a queued event, for the guard's own bus and as its own source. */
export function entryOfQueuedEvent(event: QueuedDecisionEvent, to: EventTarget): DecisionEventEntry {
  return {
    EventBusName: to.busArn,
    Source: to.source,
    DetailType: event.detailType,
    Detail: event.detail,
    Resources: event.resources,
  };
}
