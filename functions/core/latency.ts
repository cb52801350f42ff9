/**
 * CloudTrail delivers a management event to EventBridge within minutes and, by its documentation,
 * at most about an hour after the call. A trigger older than that is a replay, a backlog or a
 * saved event played by hand: its age says nothing about how fast the guard reacts.
 */
export const CLOUDTRAIL_DELIVERY_WINDOW_MS = 60 * 60 * 1000;
/** Clocks drift a little: an event time this far ahead of the guard's clock still counts as now. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A latency measured from the trigger's event time, or why it is not one. */
export type LatencySample = { kind: 'timely'; ms: number } | { kind: 'late' };

/**
 * The time from the trigger's event to `at`, when the event was at most an hour old at `decidedAt`
 * (the decision that acted on it); `late` when it was older, or claims a time well in the future;
 * undefined when there is no event time to measure from.
 */
export function latencySince(
  eventTime: string | undefined,
  decidedAt: string,
  at: string = decidedAt,
): LatencySample | undefined {
  const start = eventTime ? Date.parse(eventTime) : Number.NaN;
  const decided = Date.parse(decidedAt);
  const end = Date.parse(at);
  if (Number.isNaN(start) || Number.isNaN(decided) || Number.isNaN(end)) return undefined;
  const age = decided - start;
  if (age > CLOUDTRAIL_DELIVERY_WINDOW_MS || age < -CLOCK_SKEW_MS) return { kind: 'late' };
  return { kind: 'timely', ms: Math.max(0, end - start) };
}
