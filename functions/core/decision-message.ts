import * as z from 'zod/mini';
import { DECISION_LIMITS, fitDecision } from './decision-limits';
import type { CheckResult } from './result';

/**
 * A decision the guard already made and acted on (it issued an update) whose delivery failed part
 * way: the audit record, the alert or the update follow-up. Deciding again on a retry would find
 * the cluster UPDATING or compliant and lose the decision (violations, policy digest, alert id),
 * so the rest of the delivery travels through the recheck queue as this message and is delivered
 * from there as it was made, without reading the cluster again. SQS redelivers it until it is out
 * or reaches the dead-letter queue, whose alarm someone sees.
 */
export const DECISION_MESSAGE_KIND = 'eks-endpoint-guard/decision';

export interface QueuedDecision {
  /** The decision as made, with what its first delivery already did (alertMessageId, alertQueued). */
  result: CheckResult;
  /** The alert is still to be published. */
  notify: boolean;
  /** The audit record is still to be written. */
  record: boolean;
  /** The update follow-up is still to be queued (rebuilt from the result's update id and configurations). */
  followUp: boolean;
  /**
   * Written ahead of the update (guard/intent.ts): the decision as made, before EKS was asked. It
   * is delivered only if its first delivery never happened, with the update found in EKS.
   */
  pending?: boolean;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}[a-z0-9-]{2,30}$/;
const ID = /^[\x21-\x7e]{1,128}$/;

const L = DECISION_LIMITS;

const text = (max: number) => z.string().check(z.maxLength(max));
const optionalText = (max: number = L.text) => z.optional(text(max));
const isoTime = z.iso.datetime({ offset: true });
const cidrs = z.array(text(L.cidr)).check(z.maxLength(L.cidrs));

const EndpointConfigSchema = z.object({
  publicAccess: z.boolean(),
  privateAccess: z.boolean(),
  publicAccessCidrs: cidrs,
});

/**
 * Only what a remediation carries; anything else is dropped. A message is untrusted input like any
 * other: strings are bounded and the result can only be a remediation of one named cluster.
 */
const RemediatedSchema = z.object({
  cluster: z.string().check(z.regex(CLUSTER_NAME)),
  region: z.string().check(z.regex(REGION)),
  account: z.optional(z.string().check(z.regex(/^\d{12}$/))),
  clusterArn: optionalText(),
  outcome: z.literal('remediated'),
  reason: text(L.reason),
  time: isoTime,
  correlationId: z.string().check(z.regex(ID)),
  trigger: z.object({
    source: z.enum(['event', 'sweep', 'recheck', 'cli']),
    eventId: optionalText(),
    eventName: optionalText(),
    eventTime: optionalText(),
    actorArn: optionalText(),
    actorSource: z.optional(z.enum(['event', 'lookup'])),
    sourceIp: optionalText(),
    userAgent: optionalText(),
    tagKeys: z.optional(z.array(text(L.tag)).check(z.maxLength(L.tagKeys))),
    byGuard: z.optional(z.boolean()),
  }),
  attempt: z.number().check(z.int(), z.minimum(0)),
  policy: z.optional(
    z.object({
      source: text(L.text),
      version: z.number(),
      digest: text(L.digest),
      mode: z.enum(['enforce', 'notify']),
      exemptionTag: z.nullable(text(L.tag)),
      rule: text(L.reason),
    }),
  ),
  violations: z.optional(
    z
      .array(z.object({ rule: text(L.rule), reason: text(L.text), offendingCidrs: z.optional(cidrs) }))
      .check(z.maxLength(L.violations)),
  ),
  before: EndpointConfigSchema,
  after: EndpointConfigSchema,
  updateId: optionalText(L.updateId),
  updateStatus: optionalText(L.status),
  escalation: z.optional(
    z.object({
      actorArn: optionalText(),
      remediations: z.number().check(z.int(), z.minimum(0)),
      windowMinutes: z.number().check(z.int(), z.minimum(0)),
      silenced: z.optional(z.boolean()),
    }),
  ),
  accessNote: optionalText(L.reason),
  graceSince: z.optional(isoTime),
  graceUntil: z.optional(isoTime),
  alertMessageId: optionalText(L.updateId),
  alertQueued: z.optional(z.boolean()),
  deliveryQueued: z.optional(z.boolean()),
});

const QueuedDecisionSchema = z.object({
  result: RemediatedSchema,
  notify: z.boolean(),
  record: z.boolean(),
  followUp: z.boolean(),
  pending: z.optional(z.boolean()),
});

/** The message body of a decision, its values cut to DECISION_LIMITS (see fitDecision). */
export function decisionMessage(decision: QueuedDecision): string {
  return JSON.stringify({
    kind: DECISION_MESSAGE_KIND,
    version: 1,
    correlationId: decision.result.correlationId,
    decision: fitDecision(decision),
  });
}

/** The decision a queue message carries, or why it cannot be read (one line). */
export function decisionOfMessage(message: unknown): QueuedDecision | string {
  const version = (message as { version?: unknown } | null)?.version;
  if (version !== 1)
    return `version: expected 1, got ${typeof version === 'number' ? version : typeof version}`;
  const parsed = QueuedDecisionSchema.safeParse((message as { decision?: unknown } | null)?.decision);
  if (parsed.success) return parsed.data as QueuedDecision;
  const [issue] = parsed.error.issues;
  return `decision.${issue?.path.join('.') ?? ''}: not a valid queued decision`;
}
