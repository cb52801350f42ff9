import * as z from 'zod/mini';
import { ALERT_MESSAGE_KIND, alertOfMessage } from '../alert-message';
import type { CheckRequest } from '../check-request';
import { quote as show } from '../quote';
import { ACCOUNT, CLUSTER_NAME, compact, field, fingerprint, ID, identifier, REGION } from './read';
import { CHECK_REQUEST_KIND, type NormalisedItem } from './types';

export function fromSqsRecord(sqsRecord: unknown, index: number): NormalisedItem {
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
