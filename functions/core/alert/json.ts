import * as z from 'zod/mini';
import { UNKNOWN_CAUSES, type UnknownCause } from '../clients/types';
import { OUTCOMES } from '../outcome';
import { ALERT_RULES, type AlertFacts, type AlertRule } from './fact-types';

/**
 * The machine form of an alert (`alert@2`) for queues, functions, webhooks and pagers. Version 2
 * adds `status` (open / resolved), a `dedupKey` stable per account, region and cluster, one entry
 * per rule with its own key, and the access, actions and links of the facts. The zod schema below
 * is the one source of docs/alert.schema.json (scripts/write-alert-schema.ts).
 */
export const ALERT_JSON_SCHEMA = 'eks-endpoint-guard/alert@2';

const text = (max: number, description?: string) =>
  description
    ? z.string().check(z.maxLength(max), z.describe(description))
    : z.string().check(z.maxLength(max));
const cidrs = z.array(text(64));

const EndpointConfigJson = z.object({
  publicAccess: z.boolean(),
  privateAccess: z.boolean(),
  publicAccessCidrs: cidrs,
});

const RuleJson = z.enum(ALERT_RULES as [AlertRule, ...AlertRule[]]);

const AccessJson = z.union([
  z.object({ kind: z.literal('unchanged'), config: EndpointConfigJson }),
  z.object({ kind: z.literal('narrowed'), cidrs }),
  z.object({
    kind: z.enum([
      'public-off',
      'nodes-through-nat',
      'private-on',
      'peering-resolves-public',
      'still-authenticated',
    ]),
  }),
]);

const ActionJson = z.union([
  z.object({
    kind: z.literal('remove-exemption'),
    source: z.enum(['tag', 'policy']),
    reason: text(256),
    expires: z.optional(text(32)),
  }),
  z.object({ kind: z.literal('fix-policy'), parameter: text(256) }),
  z.object({ kind: z.enum(['fix-blocked', 'before-enforcing']), fix: text(500) }),
  z.object({ kind: z.literal('fix-reapplier') }),
  z.object({ kind: z.literal('request-exception'), tag: text(128), parameter: text(256) }),
]);

const count = z.number().check(z.int(), z.minimum(0));

const ActiveClientJson = z.object({
  ip: text(64, 'The connection address: the last element of the audit event’s sourceIPs'),
  users: z.array(text(256)).check(z.maxLength(5)),
  userAgents: z
    .array(text(200))
    .check(z.maxLength(5), z.describe('As the client sent them: a label, not evidence')),
  requests: count,
  lastSeen: text(40),
  moreUsers: z.optional(count),
  moreUserAgents: z.optional(count),
});

const ClientsCutOffJson = z
  .object({
    clients: z.union([z.array(ActiveClientJson), z.literal('unknown')]),
    cause: z.optional(z.enum(UNKNOWN_CAUSES as [UnknownCause, ...UnknownCause[]])),
    why: z.optional(text(500)),
    partial: z.optional(text(300, 'Part of the audit log was not read: the list is a lower bound')),
    since: text(40),
    until: text(40),
    newestEvent: z.optional(
      text(40, 'The newest audit event read: the log arrives minutes late, later clients are missing'),
    ),
    seen: z.optional(count),
    more: z.optional(count),
    deferred: z.optional(z.boolean()),
  })
  .check(
    z.describe(
      'The API clients seen recently in the cluster’s audit log that the target cuts off; "unknown" (never "nobody") when the log could not tell',
    ),
  );

export const AlertJsonSchema = z.object({
  schema: z.literal(ALERT_JSON_SCHEMA),
  status: z
    .enum(['open', 'resolved'])
    .check(z.describe('`resolved` closes the open alert with the same dedupKey')),
  dedupKey: text(
    300,
    'Stable for one cluster (account, region, cluster): a pager opens one incident per key and closes it on `resolved`',
  ),
  outcome: z.enum(OUTCOMES),
  severity: z.enum(['info', 'warning', 'critical']),
  cluster: text(100),
  clusterArn: z.optional(text(256)),
  account: z.optional(z.string().check(z.regex(/^\d{12}$/))),
  region: text(32),
  time: text(40, 'ISO 8601 time of the decision'),
  correlationId: text(128),
  reason: text(500),
  rules: z
    .array(
      z.object({
        rule: RuleJson,
        dedupKey: text(320, 'Stable per (account, region, cluster, rule); the Security Hub finding id too'),
        status: z.enum(['open', 'resolved']),
      }),
    )
    .check(z.describe('One entry per policy rule the alert is about')),
  trigger: z.object({
    source: z.enum(['event', 'sweep', 'recheck', 'cli']),
    eventId: z.optional(text(128)),
    eventName: z.optional(text(64)),
    eventTime: z.optional(text(40)),
    actorArn: z.optional(text(256)),
    sourceIp: z.optional(text(64)),
    userAgent: z.optional(text(200)),
    byGuard: z.boolean(),
  }),
  attempt: z.number().check(z.int(), z.minimum(0)),
  before: z.optional(EndpointConfigJson),
  after: z.optional(EndpointConfigJson),
  violations: z.array(z.object({ rule: RuleJson, reason: text(500), offendingCidrs: z.optional(cidrs) })),
  policy: z.optional(
    z.object({
      source: text(2048),
      version: z.number(),
      digest: text(128),
      mode: z.enum(['enforce', 'notify']),
      rule: text(1000),
    }),
  ),
  exemption: z.optional(
    z.object({ source: z.enum(['tag', 'policy']), reason: text(256), expires: z.optional(text(32)) }),
  ),
  fix: z.optional(text(500)),
  update: z.optional(
    z.object({
      id: z.optional(text(128)),
      status: z.optional(text(32)),
      errors: z.array(z.object({ code: text(64), message: text(500) })),
    }),
  ),
  escalation: z.optional(
    z.object({ actorArn: z.optional(text(256)), remediations: z.number(), windowMinutes: z.number() }),
  ),
  access: z.array(AccessJson),
  clientsCutOff: z.optional(ClientsCutOffJson),
  actions: z.array(ActionJson),
  links: z.object({ console: z.optional(text(512)), cloudTrailEvent: z.optional(text(512)) }),
  resolves: z.optional(z.enum(OUTCOMES).check(z.describe('The outcome of the alert this one resolves'))),
  policyChange: z.optional(
    z
      .object({
        parameter: text(2048),
        eventName: text(64),
        version: z.optional(z.number()),
        previousVersion: z.optional(z.number()),
        changes: z.array(text(500)).check(z.describe('One line per change, before → after')),
        weaker: z.array(text(500)).check(z.describe('The changes that weaken enforcement')),
      })
      .check(
        z.describe('For the alert of a policy change (cluster `-`): what changed in the policy parameter'),
      ),
  ),
});

export type AlertJson = z.infer<typeof AlertJsonSchema>;

/** `eks-endpoint-guard/<account>/<region>/<cluster>` (plus `/<rule>` per rule): stable, readable, under 320 characters. */
export function dedupKeyOf(
  facts: Pick<AlertFacts, 'account' | 'region' | 'cluster'>,
  rule?: AlertRule,
): string {
  const base = `eks-endpoint-guard/${facts.account ?? 'unknown-account'}/${facts.region}/${facts.cluster}`;
  return rule ? `${base}/${rule}` : base;
}

/** The alert@2 object for the facts. */
export function renderJson(facts: AlertFacts): AlertJson {
  const json: AlertJson = {
    schema: ALERT_JSON_SCHEMA,
    status: facts.status,
    dedupKey: dedupKeyOf(facts),
    outcome: facts.outcome,
    severity: facts.severity,
    cluster: facts.cluster,
    region: facts.region,
    time: facts.time,
    correlationId: facts.correlationId,
    reason: facts.reason,
    rules: facts.rules.map((rule) => ({ rule, dedupKey: dedupKeyOf(facts, rule), status: facts.status })),
    trigger: compact({
      source: facts.trigger.source,
      eventId: facts.trigger.eventId,
      eventName: facts.trigger.eventName,
      eventTime: facts.trigger.eventTime,
      actorArn: facts.trigger.actorArn,
      sourceIp: facts.trigger.sourceIp,
      userAgent: facts.trigger.userAgent,
      byGuard: facts.trigger.byGuard,
    }),
    attempt: facts.attempt,
    violations: facts.violations,
    access: facts.access,
    actions: facts.actions,
    links: compact({ ...facts.links }),
  };
  if (facts.clusterArn) json.clusterArn = facts.clusterArn;
  if (facts.account) json.account = facts.account;
  if (facts.before) json.before = facts.before;
  if (facts.after) json.after = facts.after;
  if (facts.policy) {
    const { source, version, digest, mode, rule } = facts.policy;
    json.policy = { source, version, digest, mode, rule };
  }
  if (facts.exemption) json.exemption = compact({ ...facts.exemption });
  if (facts.fix) json.fix = facts.fix;
  if (facts.update) json.update = facts.update;
  if (facts.escalation) json.escalation = facts.escalation;
  if (facts.resolves) json.resolves = facts.resolves;
  if (facts.policyChange) json.policyChange = facts.policyChange;
  if (facts.clientsCutOff) json.clientsCutOff = facts.clientsCutOff;
  return json;
}

/** The JSON Schema of alert@2, for docs/alert.schema.json. */
export function alertJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(AlertJsonSchema, { io: 'output', unrepresentable: 'any' }),
    $id: 'https://eks-endpoint-guard/alert.schema.json',
    title: 'eks-endpoint-guard alert (alert@2)',
  };
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export type SnsAttributes = Record<string, { DataType: 'String'; StringValue: string }>;

/**
 * SNS message attributes every form carries, so that a subscription filter policy can route on
 * them (e.g. `{"severity": ["critical"]}` for a pager): outcome, cluster, severity and status.
 */
export function snsAttributesOf(facts: AlertFacts): SnsAttributes {
  const attribute = (value: string) => ({ DataType: 'String' as const, StringValue: value || '-' });
  return {
    outcome: attribute(facts.outcome),
    cluster: attribute(facts.cluster),
    severity: attribute(facts.severity),
    status: attribute(facts.status),
  };
}
