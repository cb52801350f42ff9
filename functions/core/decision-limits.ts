import type { CheckResult } from './result';

/**
 * The longest value each field of a queued decision may hold (core/decision-message.ts): its
 * schema refuses anything longer, and fitDecision() cuts what the guard wrote to these lengths, so
 * the guard's own message always reads back. A reason can legitimately be longer than a limit (40
 * allowed IPv6 networks against 40 exposed addresses), and a user agent is whatever the caller sent.
 */
export const DECISION_LIMITS = {
  text: 2048,
  reason: 4096,
  rule: 64,
  violations: 10,
  cidr: 64,
  cidrs: 40,
  digest: 128,
  tag: 128,
  tagKeys: 50,
  updateId: 256,
  status: 64,
} as const;
const L = DECISION_LIMITS;

/** Marks where a value was cut. */
const CUT = '…';

/** `value` within `max` UTF-16 units, ending in `…` when it was cut (never inside a surrogate pair). */
export function cutTo(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - CUT.length;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${CUT}`;
}

const cutOptional = (value: string | undefined, max: number = L.text) =>
  value === undefined ? undefined : cutTo(value, max);

/**
 * The decision with every free-text value cut to DECISION_LIMITS. The configurations, ids and
 * counts are left whole: EKS and the guard's own checks already bound them, and a configuration
 * must never be cut (it is the update's target).
 */
export function fitDecision<T extends { result: CheckResult }>(decision: T): T {
  const r = decision.result;
  const result: CheckResult = {
    ...r,
    reason: cutTo(r.reason, L.reason),
    trigger: definedOnly({
      ...r.trigger,
      eventId: cutOptional(r.trigger.eventId),
      eventName: cutOptional(r.trigger.eventName),
      eventTime: cutOptional(r.trigger.eventTime),
      actorArn: cutOptional(r.trigger.actorArn),
      sourceIp: cutOptional(r.trigger.sourceIp),
      userAgent: cutOptional(r.trigger.userAgent),
      tagKeys: r.trigger.tagKeys?.slice(0, L.tagKeys).map((key) => cutTo(key, L.tag)),
    }),
  };
  if (r.clusterArn !== undefined) result.clusterArn = cutTo(r.clusterArn, L.text);
  if (r.policy) {
    result.policy = {
      ...r.policy,
      source: cutTo(r.policy.source, L.text),
      digest: cutTo(r.policy.digest, L.digest),
      exemptionTag: r.policy.exemptionTag === null ? null : cutTo(r.policy.exemptionTag, L.tag),
      rule: cutTo(r.policy.rule, L.reason),
    };
  }
  if (r.violations) {
    result.violations = r.violations.slice(0, L.violations).map((v) =>
      definedOnly({
        ...v,
        reason: cutTo(v.reason, L.text),
        offendingCidrs: v.offendingCidrs?.slice(0, L.cidrs),
      }),
    );
  }
  if (r.escalation?.actorArn !== undefined) {
    result.escalation = { ...r.escalation, actorArn: cutTo(r.escalation.actorArn, L.text) };
  }
  if (r.accessNote !== undefined) result.accessNote = cutTo(r.accessNote, L.reason);
  if (r.updateStatus !== undefined) result.updateStatus = cutTo(r.updateStatus, L.status);
  return { ...decision, result };
}

/** Leaves out the fields that are undefined, as JSON would. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
