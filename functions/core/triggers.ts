import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { Alert } from './alert';
import { ALERT_MESSAGE_KIND, alertOfMessage } from './alert-message';
import type { CheckRequest, Trigger } from './check-request';
import { DECISION_MESSAGE_KIND, decisionOfMessage, type QueuedDecision } from './decision-message';
import { quote as show } from './quote';

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
  /** A decision already made and acted on, whose delivery is finished from the queue. */
  | { kind: 'decision'; decision: QueuedDecision; messageId?: string; correlationId: string }
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

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** Loose on purpose: new partitions and regions appear; the SDK rejects what does not exist. */
const REGION = /^[a-z]{2}[a-z0-9-]{2,30}$/;
const ACCOUNT = /^\d{12}$/;
const ID = /^[\x21-\x7e]{1,128}$/;
const CHECKED_EVENTS = ['CreateCluster', 'UpdateClusterConfig'];

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

/**
 * True when a CloudTrail record is the guard's own UpdateClusterConfig: recognised by its token
 * prefix, or by the actor being the guard's role (its session ARN or the role behind the session).
 */
export function isGuardOwnChange(detail: unknown, guardRoleArn?: string): boolean {
  if (field(detail, 'eventName') !== 'UpdateClusterConfig') return false;
  const token = field(field(detail, 'requestParameters'), 'clientRequestToken');
  if (typeof token === 'string' && token.startsWith(GUARD_TOKEN_PREFIX)) return true;
  if (!guardRoleArn) return false;
  const identity = field(detail, 'userIdentity');
  const issuer = text(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn'));
  return issuer === guardRoleArn || isSessionOfRole(text(field(identity, 'arn')), guardRoleArn);
}

/** `arn:aws:sts::A:assumed-role/R/session` is a session of `arn:aws:iam::A:role/<path/>R`. */
export function isSessionOfRole(principalArn: string | undefined, roleArn: string): boolean {
  if (!principalArn) return false;
  if (principalArn === roleArn) return true;
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principalArn);
  const role = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/.exec(roleArn);
  return (
    session !== null &&
    role !== null &&
    session[1] === role[1] &&
    session[2] === role[2] &&
    session[3] === role[3]
  );
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
    return { shape: 'sqs', items: records.map((r, index) => fromSqsRecord(r, index)) };
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
    correlationId: `sweep-${eventId ?? fingerprint(event)}`,
    trigger: compact({ source: 'sweep', eventId, eventTime }),
  };
}

function fromCloudTrail(
  detail: unknown,
  envelope: Json | undefined,
  context: TriggerContext,
): NormalisedItem {
  const eventId = identifier(field(detail, 'eventID')) ?? identifier(field(envelope, 'id'));
  const correlationId = eventId ?? fingerprint(envelope ?? detail);
  if (!record(detail)) {
    return {
      kind: 'unreadable',
      reason: `event ${eventId ?? correlationId}: detail is not a CloudTrail record`,
      correlationId,
    };
  }
  const eventSource = text(field(detail, 'eventSource'));
  const eventName = text(field(detail, 'eventName'));
  const region = matching(REGION, field(detail, 'awsRegion'), field(envelope, 'region')) ?? context.region;
  const trigger = triggerOf(detail, envelope, eventId);
  const params = field(detail, 'requestParameters');
  // The 2018 record shape names the cluster `clusterName`.
  const rawName = field(params, 'name') ?? field(params, 'clusterName');
  const cluster = matching(CLUSTER_NAME, rawName);
  const ignored = (reason: string): NormalisedItem =>
    compact({ kind: 'ignored', cluster, region, reason, trigger, correlationId });

  if (eventSource !== 'eks.amazonaws.com') {
    return ignored(
      `${clip(eventName ?? 'an event')} from ${clip(eventSource ?? 'an unknown source')} is not an EKS API call`,
    );
  }
  if (!eventName || !CHECKED_EVENTS.includes(eventName)) {
    return ignored(
      `${clip(eventName ?? 'an EKS event without a name')} does not change endpoint access (only ${CHECKED_EVENTS.join(' and ')} do)`,
    );
  }
  const errorCode = text(field(detail, 'errorCode'));
  if (errorCode) return ignored(`the API call failed (${clip(errorCode)}); nothing changed`);
  if (!cluster) {
    return {
      kind: 'unreadable',
      reason: `CloudTrail event ${eventId ?? correlationId}: requestParameters.name: expected a cluster name, got ${show(rawName)}`,
      correlationId,
    };
  }
  const account = matching(
    ACCOUNT,
    field(detail, 'recipientAccountId'),
    field(envelope, 'account'),
    context.account,
  );
  const byGuard = isGuardOwnChange(detail, context.guardRoleArn);
  return {
    kind: 'check',
    request: compact({
      cluster,
      region,
      account,
      trigger: byGuard ? { ...trigger, byGuard } : trigger,
      correlationId,
      attempt: 0,
    }),
  };
}

function triggerOf(detail: Json, envelope: Json | undefined, eventId: string | undefined): Trigger {
  const identity = field(detail, 'userIdentity');
  return compact({
    source: 'event',
    eventId,
    eventName: text(field(detail, 'eventName')),
    eventTime: text(field(detail, 'eventTime')) ?? text(field(envelope, 'time')),
    // For an assumed role this is the session ARN, which names the person or pipeline behind it.
    actorArn:
      text(field(identity, 'arn')) ??
      text(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn')) ??
      text(field(identity, 'invokedBy')),
    sourceIp: text(field(detail, 'sourceIPAddress')),
    userAgent: text(field(detail, 'userAgent')),
  });
}

function otherEventBridge(
  event: Json,
  detailType: string,
  source: string,
  context: TriggerContext,
): NormalisedItem {
  const eventId = identifier(field(event, 'id'));
  return {
    kind: 'ignored',
    region: matching(REGION, field(event, 'region')) ?? context.region,
    reason: `EventBridge event "${clip(detailType)}" from ${clip(source)} is neither a CloudTrail API call nor the sweep schedule`,
    trigger: compact({ source: 'event', eventId, eventTime: text(field(event, 'time')) }),
    correlationId: eventId ?? fingerprint(event),
  };
}

function fromSqsRecord(sqsRecord: unknown, index: number): NormalisedItem {
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
    if (typeof alert !== 'string') return compact({ kind: 'alert', alert, messageId, correlationId });
    problem = alert;
  }
  if (!problem && field(message, 'kind') === DECISION_MESSAGE_KIND) {
    const decision = decisionOfMessage(message);
    if (typeof decision !== 'string') {
      return compact({ kind: 'decision', decision, messageId, correlationId: decision.result.correlationId });
    }
    problem = decision;
  }
  if (!problem) problem = checkRequestProblem(message);
  if (!problem) {
    const parsed = CheckRequestSchema.safeParse(field(message, 'request'), { reportInput: true });
    if (parsed.success) return compact({ kind: 'check', request: parsed.data, messageId });
    const [first] = parsed.error.issues;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    problem = `${first ? describeIssue(first) : 'request: not a check request'}${more}`;
  }
  // The request's own id ties a broken message back to the event that caused it.
  const correlationId =
    identifier(field(field(message, 'request'), 'correlationId')) ?? messageId ?? fingerprint(sqsRecord);
  return compact({ kind: 'unreadable', reason: `${where}: ${problem}`, messageId, correlationId });
}

function checkRequestProblem(message: unknown): string | undefined {
  const kind = field(message, 'kind');
  if (kind !== CHECK_REQUEST_KIND) return `kind: expected "${CHECK_REQUEST_KIND}", got ${show(kind)}`;
  const version = field(message, 'version');
  if (version !== 1) return `version: expected 1, got ${show(version)}`;
  return undefined;
}

function unreadableEvent(event: unknown, reason: string): NormalisedEvent {
  const correlationId = identifier(field(event, 'id')) ?? fingerprint(event);
  return { shape: 'unknown', items: [{ kind: 'unreadable', reason, correlationId }] };
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
        byGuard: z.optional(z.boolean(expected('true or false'))),
      },
      expected('a trigger object'),
    ),
    correlationId: z.string(expected('a correlation id')).check(z.regex(ID, expected('a correlation id'))),
    attempt: z
      .number(expected('a whole number'))
      .check(z.int(expected('a whole number')), z.minimum(0, expected('0 or more'))),
    deadline: z.optional(isoTime),
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

// ---- small readers that never throw on odd input ----

type Json = Record<string, unknown>;

function record(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: an input must not reach `constructor` or `__proto__` through the prototype. */
function field(value: unknown, key: string): unknown {
  return record(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** An event, message or correlation id: printable and short, or it is not one (it ends up in keys and logs). */
function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && ID.test(value) ? value : undefined;
}

/** The first candidate that is a string matching the pattern. */
function matching(pattern: RegExp, ...candidates: unknown[]): string | undefined {
  return candidates.find((c): c is string => typeof c === 'string' && pattern.test(c));
}

/** Drops undefined fields, so requests and items stay clean in logs and audit records. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Input quoted in a reason: one line, short. */
function clip(value: string, max = 60): string {
  const line = value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** A short stable id for input that carries none of its own. */
function fingerprint(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = Object.prototype.toString.call(value);
  }
  return `sha256-${createHash('sha256').update(json).digest('hex').slice(0, 16)}`;
}
