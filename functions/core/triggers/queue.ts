import * as z from 'zod/mini';
import { DELIVERY_MESSAGE_KIND, deliveryOfMessage } from '../alert/deliveries';
import { ALERT_MESSAGE_KIND, alertOfMessage } from '../alert/message';
import type { CheckRequest } from '../check-request';
import { DECISION_EVENT_MESSAGE_KIND, decisionEventOfMessage } from '../decision-event-message';
import { DECISION_MESSAGE_KIND, decisionOfMessage } from '../decision-message';
import { MAX_GRACE_PERIOD_MINUTES } from '../policy/policy';
import { quote as show } from '../quote';
import { ACCOUNT, CLUSTER_NAME, clip, compact, field, fingerprint, ID, identifier, REGION } from './read';
import { CHECK_REQUEST_KIND, type NormalisedItem, type TriggerContext } from './types';

/**
 * Reads one recheck-queue message. The queue is a trust boundary: only a message that SQS says a
 * session of the guard's own role sent (its SenderId) may carry an alert to publish or the guard's
 * own claims (an update it follows, an event that is its own change). Anything else is at most a
 * request for an ordinary check, which is harmless: the guard reads the cluster itself.
 *
 * A direct invoke of the function writes the whole record, SenderId included, and the role's id
 * is no secret: so a record that claims any privilege also carries a `proof` (types.ts), which the
 * guard has SQS confirm before it honours the claim, and what the record is worth otherwise.
 */
export function fromSqsRecord(sqsRecord: unknown, index: number, context: TriggerContext): NormalisedItem {
  const messageId = identifier(field(sqsRecord, 'messageId'));
  const where = messageId ? `SQS message ${messageId}` : `SQS record ${index}`;
  const body = field(sqsRecord, 'body');
  let message: unknown;
  let problem: string | undefined;
  if (field(sqsRecord, 'eventSource') !== 'aws:sqs') problem = 'not an SQS message';
  else if (typeof body !== 'string') problem = 'body is missing';
  else {
    try {
      message = JSON.parse(body);
    } catch {
      problem = 'body is not JSON';
    }
  }
  if (!problem && field(message, 'kind') === ALERT_MESSAGE_KIND) {
    const alert = alertOfMessage(message);
    const correlationId = identifier(field(message, 'correlationId')) ?? messageId ?? fingerprint(sqsRecord);
    const sender = senderOf(sqsRecord);
    if (typeof alert === 'string') problem = alert;
    else if (!isGuardSender(sender, context)) {
      const who = sender ? `sender ${clip(sender, 80)}` : 'a sender SQS does not name';
      problem = `an alert sent by ${who}, not by the guard's role${context.guardRoleId ? '' : ' (GUARD_ROLE_ID is not set)'}; not published`;
    } else {
      const item = compact({ kind: 'alert' as const, alert, messageId, correlationId });
      return proven(
        item,
        sqsRecord,
        `${where}: an alert that SQS does not confirm came from the recheck queue; not published`,
      );
    }
  }
  if (!problem && field(message, 'kind') === DELIVERY_MESSAGE_KIND) {
    // A chat message or Security Hub findings to send as they are: only the guard may queue one.
    const delivery = deliveryOfMessage(message);
    const correlationId = identifier(field(message, 'correlationId')) ?? messageId ?? fingerprint(sqsRecord);
    const sender = senderOf(sqsRecord);
    if (typeof delivery === 'string') problem = delivery;
    else if (!isGuardSender(sender, context)) {
      const who = sender ? `sender ${clip(sender, 80)}` : 'a sender SQS does not name';
      problem = `an alert delivery sent by ${who}, not by the guard's role${context.guardRoleId ? '' : ' (GUARD_ROLE_ID is not set)'}; not delivered`;
    } else if (delivery.channel === 'topic') {
      problem = 'delivery.channel: the alert topic takes queued alerts, not deliveries';
    } else {
      const item = compact({ kind: 'delivery' as const, delivery, messageId, correlationId });
      return proven(
        item,
        sqsRecord,
        `${where}: an alert delivery that SQS does not confirm came from the recheck queue; not delivered`,
      );
    }
  }
  if (!problem && field(message, 'kind') === DECISION_MESSAGE_KIND) {
    // A finished decision is delivered as it stands (record, alert, follow-up): only the guard may send one.
    const decision = decisionOfMessage(message);
    const sender = senderOf(sqsRecord);
    if (typeof decision === 'string') problem = decision;
    else if (!isGuardSender(sender, context)) {
      const who = sender ? `sender ${clip(sender, 80)}` : 'a sender SQS does not name';
      problem = `a decision sent by ${who}, not by the guard's role${context.guardRoleId ? '' : ' (GUARD_ROLE_ID is not set)'}; not delivered`;
    } else {
      const correlationId = decision.result.correlationId;
      const item = compact({ kind: 'decision' as const, decision, messageId, correlationId });
      return proven(
        item,
        sqsRecord,
        `${where}: a decision that SQS does not confirm came from the recheck queue; not delivered`,
      );
    }
  }
  if (!problem && field(message, 'kind') === DECISION_EVENT_MESSAGE_KIND) {
    const event = decisionEventOfMessage(message);
    const sender = senderOf(sqsRecord);
    if (typeof event === 'string') problem = event;
    else if (!isGuardSender(sender, context))
      problem = `a decision event sent by ${sender ? `sender ${clip(sender, 80)}` : 'a sender SQS does not name'}, not by the guard's role; not sent`;
    else {
      const correlationId = messageId ?? fingerprint(sqsRecord);
      const item = compact({ kind: 'decision-event' as const, event, messageId, correlationId });
      return proven(
        item,
        sqsRecord,
        `${where}: a decision event that SQS does not confirm came from the recheck queue; not sent`,
      );
    }
  }
  if (!problem) problem = checkRequestProblem(message);
  if (!problem) {
    const parsed = CheckRequestSchema.safeParse(field(message, 'request'), { reportInput: true });
    if (parsed.success) return queuedCheck(parsed.data, sqsRecord, messageId, context);
    const [first] = parsed.error.issues;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    problem = `${first ? describeIssue(first) : 'request: not a check request'}${more}`;
  }
  // The request's own id ties a broken message back to the event that caused it.
  const correlationId =
    identifier(field(field(message, 'request'), 'correlationId')) ?? messageId ?? fingerprint(sqsRecord);
  return compact({ kind: 'unreadable', reason: `${where}: ${problem}`, messageId, correlationId });
}

function queuedCheck(
  read: CheckRequest,
  sqsRecord: unknown,
  messageId: string | undefined,
  context: TriggerContext,
): NormalisedItem {
  if (read.account !== undefined && context.account !== undefined && read.account !== context.account) {
    return compact({
      kind: 'ignored',
      cluster: read.cluster,
      region: read.region,
      reason: `the queued check is for account ${read.account}; this guard runs in ${context.account}`,
      trigger: read.trigger,
      correlationId: read.correlationId,
      messageId,
    });
  }
  const ordinary = (request: CheckRequest): Extract<NormalisedItem, { kind: 'check' }> => {
    const deadline = capDeadline(request.deadline, context);
    const dueAt = capTime(request.dueAt, context.now, MAX_GRACE_PERIOD_MINUTES);
    return compact({ kind: 'check' as const, request: compact({ ...request, deadline, dueAt }), messageId });
  };
  // Not the guard's message, or one SQS does not confirm: it may ask for a check, never claim the
  // guard's own change, an update to follow or a grace period's due time.
  const { byGuard: _claim, ...trigger } = read.trigger;
  const { followUpdate: _follow, dueAt: _due, ...rest } = read;
  const plain = ordinary({ ...rest, trigger });
  const claims =
    read.trigger.byGuard !== undefined || read.followUpdate !== undefined || read.dueAt !== undefined;
  if (!claims || !isGuardSender(senderOf(sqsRecord), context)) return plain;
  const receiptHandle = receiptHandleOf(sqsRecord);
  return receiptHandle ? { ...ordinary(read), proof: { receiptHandle, unproven: plain } } : plain;
}

/**
 * A privileged item with its proof to be confirmed by SQS, or, when the record has no receipt
 * handle at all, what it is worth unconfirmed: a line saying so.
 */
function proven(
  item: Extract<NormalisedItem, { kind: 'alert' | 'delivery' | 'decision' | 'decision-event' }>,
  sqsRecord: unknown,
  refused: string,
): NormalisedItem {
  const unproven: NormalisedItem = compact({
    kind: 'unreadable',
    reason: refused,
    messageId: item.messageId,
    correlationId: item.correlationId,
  });
  const receiptHandle = receiptHandleOf(sqsRecord);
  return receiptHandle ? { ...item, proof: { receiptHandle, unproven } } : unproven;
}

/** SQS's receipt handle of the record: opaque, at most 1 KB; anything else is no handle. */
function receiptHandleOf(sqsRecord: unknown): string | undefined {
  const handle = field(sqsRecord, 'receiptHandle');
  return typeof handle === 'string' && handle.length > 0 && handle.length <= 1024 ? handle : undefined;
}

/** A deadline from a message never lies further ahead than the configured recheck deadline from now. */
function capDeadline(deadline: string | undefined, context: TriggerContext): string | undefined {
  if (deadline === undefined || context.recheckDeadlineMinutes === undefined) return deadline;
  const latest = context.now.getTime() + context.recheckDeadlineMinutes * 60_000;
  const time = Date.parse(deadline);
  return Number.isNaN(time) || time > latest ? new Date(latest).toISOString() : deadline;
}

/** A grace period's end from the guard's own message never lies further ahead than the longest grace period. */
function capTime(time: string | undefined, now: Date, minutes: number): string | undefined {
  if (time === undefined) return undefined;
  const latest = now.getTime() + minutes * 60_000;
  const value = Date.parse(time);
  return Number.isNaN(value) || value > latest ? new Date(latest).toISOString() : time;
}

function senderOf(sqsRecord: unknown): string | undefined {
  const sender = field(field(sqsRecord, 'attributes'), 'SenderId');
  return typeof sender === 'string' && sender.length > 0 ? sender : undefined;
}

/** SQS names a message sent by a role session `<RoleId>:<session name>`. */
function isGuardSender(sender: string | undefined, context: TriggerContext): boolean {
  const id = context.guardRoleId;
  return Boolean(id && sender?.startsWith(`${id}:`));
}

function checkRequestProblem(message: unknown): string | undefined {
  const kind = field(message, 'kind');
  if (kind !== CHECK_REQUEST_KIND) return `kind: expected "${CHECK_REQUEST_KIND}", got ${show(kind)}`;
  const version = field(message, 'version');
  if (version !== 1) return `version: expected 1, got ${show(version)}`;
  return undefined;
}

// ---- the recheck message schema ----

const expected = (what: string) => ({ error: `expected ${what}` });
const isoTime = z.iso.datetime({ offset: true, ...expected('an ISO 8601 time') });
const optionalText = z.optional(z.string(expected('a string')));

const EndpointConfigSchema = z.object(
  {
    publicAccess: z.boolean(expected('true or false')),
    privateAccess: z.boolean(expected('true or false')),
    publicAccessCidrs: z.array(z.string(expected('a CIDR block')), expected('a list of CIDR blocks')),
  },
  expected('an endpoint configuration'),
);

const CheckRequestSchema: z.ZodMiniType<CheckRequest> = z.object(
  {
    cluster: z.string(expected('a cluster name')).check(z.regex(CLUSTER_NAME, expected('a cluster name'))),
    region: z.string(expected('a region')).check(z.regex(REGION, expected('a region such as eu-west-1'))),
    account: z.optional(
      z.string(expected('an account id')).check(z.regex(ACCOUNT, expected('a 12-digit account id'))),
    ),
    trigger: z.object(
      {
        source: z.enum(
          ['event', 'sweep', 'recheck', 'cli'],
          expected('"event", "sweep", "recheck" or "cli"'),
        ),
        eventId: optionalText,
        eventName: optionalText,
        eventTime: optionalText,
        actorArn: optionalText,
        sourceIp: optionalText,
        userAgent: optionalText,
        tagKeys: z.optional(z.array(z.string(expected('a tag key')), expected('a list of tag keys'))),
        byGuard: z.optional(z.boolean(expected('true or false'))),
      },
      expected('a trigger object'),
    ),
    correlationId: z.string(expected('a correlation id')).check(z.regex(ID, expected('a correlation id'))),
    attempt: z
      .number(expected('a whole number'))
      .check(z.int(expected('a whole number')), z.minimum(0, expected('0 or more'))),
    deadline: z.optional(isoTime),
    dueAt: z.optional(isoTime),
    followUpdate: z.optional(
      z.object(
        {
          updateId: z.string(expected('an update id')).check(z.minLength(1, expected('an update id'))),
          issuedAt: isoTime,
          before: EndpointConfigSchema,
          after: EndpointConfigSchema,
        },
        expected('a followUpdate object'),
      ),
    ),
  },
  expected('a check request object'),
);

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = ['request', ...issue.path].reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    '',
  );
  const where = path.slice(1);
  if (issue.input === undefined) return `${where}: is required`;
  return `${where}: ${issue.message}, got ${show(issue.input)}`;
}
