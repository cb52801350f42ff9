import type { Trigger } from '../check-request';
import type { ActiveExemption } from '../effective';
import type { EndpointConfig } from '../endpoint';
import type { ViolationRule } from '../evaluate';
import type { Outcome, Severity } from '../outcome';
import type { CheckResult, PolicyRef } from '../result';
import { safeLine } from './forms';

/**
 * An alert as facts (DESIGN §10): built once, purely, from a decision; every channel (e-mail in
 * English or Japanese, chat, the machine JSON, a Security Hub finding) renders these and nothing
 * else. Every string that came from outside the guard is already one safe line here; renderers
 * apply their own form's escape on top (forms.ts).
 */
export interface AlertFacts {
  /** `open`: something people must know or do; `resolved`: a cluster alerted before is compliant again. */
  status: AlertStatus;
  outcome: Outcome;
  severity: Severity;
  cluster: string;
  clusterArn?: string;
  account?: string;
  region: string;
  partition: string;
  /** ISO time of the decision. */
  time: string;
  correlationId: string;
  /** The decision's own sentence (safe line). */
  reason: string;
  headline: Headline;
  trigger: TriggerFacts;
  /** 0 for a first check, n for the n-th re-check of a busy cluster. */
  attempt: number;
  before?: EndpointConfig;
  after?: EndpointConfig;
  /** What the target changes (or would), most significant first. */
  changes: Change[];
  /** `did` when the guard changed the cluster, `would` in notify mode, `none` otherwise. */
  mood: 'did' | 'would' | 'none';
  /** Every policy rule the decision is about: broken ones when open, the previously broken ones when resolved. */
  rules: AlertRule[];
  violations: { rule: ViolationRule; reason: string; offendingCidrs?: string[] }[];
  policy?: PolicyRef;
  exemption?: ActiveExemption;
  /** Blocked or notify mode: what must be fixed before the guard can act (safe line). */
  fix?: string;
  update?: { id?: string; status?: string; errors: { code: string; message: string }[] };
  escalation?: { actorArn?: string; remediations: number; windowMinutes: number };
  /** A policy that could not be used, read back from the reason. */
  policyFault?: PolicyFault;
  /** What the decision means for who can reach the API server. */
  access: AccessEffect[];
  /** What people should do next. */
  actions: Action[];
  links: AlertLinks;
  /** The outcome of the alert a `resolved` alert closes. */
  resolves?: Outcome;
}

export type AlertStatus = 'open' | 'resolved';
export type Change = 'public-off' | 'narrowed' | 'private-on';
/** A rule a finding and a dedup key are kept per: the three endpoint rules, or the check itself. */
export type AlertRule = ViolationRule | 'check';
export const ALERT_RULES: readonly AlertRule[] = [
  'public-disabled',
  'public-cidrs',
  'private-required',
  'check',
];

export interface TriggerFacts {
  source: Trigger['source'];
  eventId?: string;
  eventName?: string;
  eventTime?: string;
  actorArn?: string;
  /** `assumed-role/Deployer/ci` rather than the whole ARN: the part a person recognises. */
  actorLabel?: string;
  sourceIp?: string;
  userAgent?: string;
  byGuard: boolean;
}

export type Headline =
  | { kind: 'escalation'; actorLabel?: string }
  | { kind: 'remediated'; change?: Change; cidrs: string[] }
  | { kind: 'would-remediate'; change?: Change; cidrs: string[] }
  | { kind: 'exempt'; reason: string }
  | { kind: 'blocked'; cause: BlockedCause }
  | { kind: 'policy-fault'; fault: PolicyFault }
  | { kind: 'update-failed'; status: 'Failed' | 'Cancelled'; code?: string }
  | { kind: 'check-failed'; reason: string }
  | { kind: 'resolved'; resolves?: Outcome }
  | { kind: 'other'; reason: string };

export type BlockedCause =
  | { kind: 'dns'; support: boolean; hostnames: boolean }
  | { kind: 'reason'; reason: string };

export interface PolicyFault {
  source: string;
  state: 'missing' | 'unreadable' | 'empty' | 'invalid';
}

export type AccessEffect =
  | { kind: 'unchanged'; config: EndpointConfig }
  | { kind: 'public-off' }
  | { kind: 'narrowed'; cidrs: string[] }
  | { kind: 'nodes-through-nat' }
  | { kind: 'private-on' }
  | { kind: 'peering-resolves-public' }
  | { kind: 'still-authenticated' };

export type Action =
  | { kind: 'remove-exemption'; source: ActiveExemption['source']; reason: string; expires?: string }
  | { kind: 'fix-policy'; parameter: string }
  | { kind: 'fix-blocked'; fix: string }
  | { kind: 'before-enforcing'; fix: string }
  | { kind: 'fix-reapplier' }
  | { kind: 'request-exception'; tag: string; parameter: string };

export interface AlertLinks {
  /** The cluster's networking tab in the EKS console. */
  console?: string;
  /** The CloudTrail event that triggered the decision. */
  cloudTrailEvent?: string;
}

export interface FactsOptions {
  exemptionTag: string;
  policyParameter: string;
  /** The severity the alert already carries, so that facts and SNS attributes always agree. */
  severity?: Severity;
}

const ALERTING: readonly Outcome[] = ['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'];
/** An open alert of these outcomes stays open until the cluster is seen compliant (resolved.ts). */
export const RESOLVABLE: readonly Outcome[] = ['failed', 'blocked', 'would-remediate'];

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EVENT_ID = /^[0-9A-Za-z-]{1,128}$/;
const ACCOUNT = /^\d{12}$/;

/** The facts of the alert for a decision, or undefined when the decision alerts nobody (DESIGN §4). */
export function factsOf(result: CheckResult, options: FactsOptions): AlertFacts | undefined {
  if (!result.escalation && !ALERTING.includes(result.outcome)) return undefined;
  return build(result, 'open', options);
}

/**
 * The facts of the one `resolved` alert for a compliant result whose cluster was last alerted
 * with `previous` (see resolved.ts for when one is due). `previous` gives the rules it closes.
 */
export function resolvedFactsOf(
  result: CheckResult,
  previous: Pick<CheckResult, 'outcome' | 'violations'>,
  options: FactsOptions,
): AlertFacts {
  const facts = build(result, 'resolved', { ...options, severity: 'info' });
  const rules = rulesOf(previous);
  return {
    ...facts,
    resolves: previous.outcome,
    rules,
    headline: { kind: 'resolved', resolves: previous.outcome },
  };
}

function build(result: CheckResult, status: AlertStatus, options: FactsOptions): AlertFacts {
  const trigger = triggerFacts(result.trigger);
  const changes = status === 'open' ? changesOf(result.before, result.after) : [];
  const mood = status === 'resolved' ? 'none' : moodOf(result.outcome);
  const policyFault = result.outcome === 'failed' ? policyFaultOf(result.reason) : undefined;
  const facts: AlertFacts = {
    status,
    outcome: result.outcome,
    severity: options.severity ?? severityOf(result),
    cluster: result.cluster,
    region: result.region,
    partition: partitionOf(result.clusterArn),
    time: result.time,
    correlationId: safeLine(result.correlationId, 128),
    reason: safeLine(result.reason),
    headline: { kind: 'other', reason: '' },
    trigger,
    attempt: result.attempt,
    changes,
    mood,
    rules: status === 'open' ? rulesOf(result) : [],
    violations: (result.violations ?? []).map((v) => ({
      rule: v.rule,
      reason: safeLine(v.reason),
      ...(v.offendingCidrs && { offendingCidrs: v.offendingCidrs.map((c) => safeLine(c, 64)) }),
    })),
    access: [],
    actions: [],
    links: linksOf(result, trigger),
  };
  if (result.clusterArn) facts.clusterArn = safeLine(result.clusterArn, 256);
  if (result.account && ACCOUNT.test(result.account)) facts.account = result.account;
  if (result.before) facts.before = result.before;
  if (result.after) facts.after = result.after;
  if (result.policy) facts.policy = result.policy;
  if (result.exemption) facts.exemption = safeExemption(result.exemption);
  if (result.fix) facts.fix = safeLine(result.fix);
  if (result.updateId || result.updateStatus || result.updateErrors?.length) {
    facts.update = {
      ...(result.updateId && { id: safeLine(result.updateId, 128) }),
      ...(result.updateStatus && { status: safeLine(result.updateStatus, 32) }),
      errors: (result.updateErrors ?? []).map((e) => ({
        code: safeLine(e.code, 64),
        message: safeLine(e.message),
      })),
    };
  }
  if (result.escalation) {
    const actor = result.escalation.actorArn ?? result.trigger.actorArn;
    facts.escalation = {
      remediations: result.escalation.remediations,
      windowMinutes: result.escalation.windowMinutes,
      ...(actor && { actorArn: safeLine(actor, 256) }),
    };
  }
  if (policyFault) facts.policyFault = policyFault;
  facts.headline = headlineOf(result, facts);
  if (status === 'open') {
    facts.access = accessOf(result, changes);
    facts.actions = actionsOf(result, facts, options);
  }
  return facts;
}

function severityOf(result: CheckResult): Severity {
  if (result.escalation || result.outcome === 'failed' || result.outcome === 'blocked') return 'critical';
  return result.outcome === 'exempt' ? 'info' : 'warning';
}

function moodOf(outcome: Outcome): AlertFacts['mood'] {
  if (outcome === 'remediated') return 'did';
  return outcome === 'would-remediate' ? 'would' : 'none';
}

/** The broken rules; a failed decision that broke none is about the check itself. */
function rulesOf(result: Pick<CheckResult, 'outcome' | 'violations'>): AlertRule[] {
  const rules = [...new Set((result.violations ?? []).map((v) => v.rule))];
  if (rules.length === 0 && result.outcome === 'failed') return ['check'];
  return rules;
}

function triggerFacts(trigger: Trigger): TriggerFacts {
  const facts: TriggerFacts = { source: trigger.source, byGuard: trigger.byGuard === true };
  if (trigger.eventId) facts.eventId = safeLine(trigger.eventId, 128);
  if (trigger.eventName) facts.eventName = safeLine(trigger.eventName, 64);
  if (trigger.eventTime) facts.eventTime = safeLine(trigger.eventTime, 40);
  if (trigger.actorArn) {
    facts.actorArn = safeLine(trigger.actorArn, 256);
    facts.actorLabel = actorLabel(facts.actorArn);
  }
  if (trigger.sourceIp) facts.sourceIp = safeLine(trigger.sourceIp, 64);
  if (trigger.userAgent) facts.userAgent = safeLine(trigger.userAgent, 200);
  return facts;
}

/** `assumed-role/Deployer/ci` rather than the whole ARN. */
export function actorLabel(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return safeLine(resource || arn, 128);
}

function safeExemption(exemption: ActiveExemption): ActiveExemption {
  return {
    source: exemption.source,
    reason: safeLine(exemption.reason, 256),
    ...(exemption.expires && { expires: safeLine(exemption.expires, 32) }),
  };
}

/** The changes a target makes, most significant first (the guard only ever takes access away). */
export function changesOf(before: EndpointConfig | undefined, after: EndpointConfig | undefined): Change[] {
  if (!before || !after) return [];
  const changes: Change[] = [];
  if (before.publicAccess && !after.publicAccess) changes.push('public-off');
  if (before.publicAccess && after.publicAccess && !sameCidrs(before, after)) changes.push('narrowed');
  if (!before.privateAccess && after.privateAccess) changes.push('private-on');
  return changes;
}

function sameCidrs(a: EndpointConfig, b: EndpointConfig): boolean {
  const right = new Set(b.publicAccessCidrs);
  return a.publicAccessCidrs.length === right.size && a.publicAccessCidrs.every((c) => right.has(c));
}

function headlineOf(result: CheckResult, facts: AlertFacts): Headline {
  if (facts.escalation) {
    const label = facts.escalation.actorArn && actorLabel(facts.escalation.actorArn);
    return label ? { kind: 'escalation', actorLabel: label } : { kind: 'escalation' };
  }
  const [change] = facts.changes;
  const cidrs =
    change === 'public-off'
      ? (result.before?.publicAccessCidrs ?? [])
      : (result.after?.publicAccessCidrs ?? []);
  switch (result.outcome) {
    case 'remediated':
      return { kind: 'remediated', ...(change && { change }), cidrs };
    case 'would-remediate':
      return { kind: 'would-remediate', ...(change && { change }), cidrs };
    case 'exempt':
      return { kind: 'exempt', reason: facts.exemption?.reason ?? '' };
    case 'blocked':
      return { kind: 'blocked', cause: blockedCause(result) };
    case 'failed': {
      if (facts.policyFault) return { kind: 'policy-fault', fault: facts.policyFault };
      const status = result.updateStatus;
      if (status === 'Failed' || status === 'Cancelled') {
        const code = facts.update?.errors[0]?.code;
        return { kind: 'update-failed', status, ...(code && { code }) };
      }
      return { kind: 'check-failed', reason: facts.reason };
    }
    default:
      return { kind: 'other', reason: facts.reason };
  }
}

/** A PolicyError message (`policy <source>: <fault>`) read back, to name the parameter. */
function policyFaultOf(reason: string): PolicyFault | undefined {
  const match = /^policy (\S+): (.*)$/.exec(reason);
  if (!match) return undefined;
  const [, source = '', fault = ''] = match;
  const state = /does not exist|not found/i.test(fault)
    ? 'missing'
    : /denied/i.test(fault)
      ? 'unreadable'
      : /empty/i.test(fault)
        ? 'empty'
        : 'invalid';
  return { source: safeLine(source, 256), state };
}

/** The lockout guard's usual causes; anything else is the decision's own reason. */
function blockedCause(result: CheckResult): BlockedCause {
  const said = `${result.fix ?? ''} ${result.reason}`;
  const support = /enableDnsSupport|DNS support/i.test(said);
  const hostnames = /enableDnsHostnames|DNS hostnames/i.test(said);
  if (support || hostnames) return { kind: 'dns', support, hostnames };
  return { kind: 'reason', reason: safeLine(result.reason) };
}

/** What the decision means for who can reach the API server (DESIGN §1). */
function accessOf(result: CheckResult, changes: Change[]): AccessEffect[] {
  const { before, after, outcome } = result;
  if (outcome === 'exempt' || outcome === 'failed' || outcome === 'blocked') {
    return before ? [{ kind: 'unchanged', config: before }] : [];
  }
  if (!before || !after) return [];
  const effects: AccessEffect[] = [];
  if (changes.includes('public-off')) effects.push({ kind: 'public-off' });
  if (changes.includes('narrowed')) {
    effects.push({ kind: 'narrowed', cidrs: [...after.publicAccessCidrs] });
    if (!after.privateAccess) effects.push({ kind: 'nodes-through-nat' });
  }
  if (changes.includes('private-on')) effects.push({ kind: 'private-on' });
  if (after.publicAccess && after.privateAccess && changes.length > 0) {
    effects.push({ kind: 'peering-resolves-public' });
  }
  if (effects.length > 0) effects.push({ kind: 'still-authenticated' });
  return effects;
}

function actionsOf(result: CheckResult, facts: AlertFacts, options: FactsOptions): Action[] {
  const actions: Action[] = [];
  if (facts.escalation) actions.push({ kind: 'fix-reapplier' });
  if (result.outcome === 'exempt' && facts.exemption) {
    const { source, reason, expires } = facts.exemption;
    actions.push({ kind: 'remove-exemption', source, reason, ...(expires && { expires }) });
  } else if (facts.policyFault) {
    actions.push({ kind: 'fix-policy', parameter: facts.policyFault.source });
  } else if (result.outcome === 'blocked') {
    actions.push({ kind: 'fix-blocked', fix: facts.fix ?? facts.reason });
  } else if (result.outcome === 'would-remediate' && facts.fix) {
    actions.push({ kind: 'before-enforcing', fix: facts.fix });
  }
  if (['remediated', 'would-remediate', 'blocked'].includes(result.outcome) || facts.escalation) {
    actions.push({
      kind: 'request-exception',
      tag: safeLine(options.exemptionTag, 128),
      parameter: safeLine(options.policyParameter, 256),
    });
  }
  return actions;
}

function partitionOf(arn: string | undefined): string {
  const partition = arn?.split(':')[1];
  return partition && /^aws(-[a-z]+)*$/.test(partition) ? partition : 'aws';
}

const CONSOLE_HOSTS: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** Console links, built only from values that match their strict forms (nothing else reaches a URL). */
function linksOf(result: CheckResult, trigger: TriggerFacts): AlertLinks {
  const host = CONSOLE_HOSTS[partitionOf(result.clusterArn)];
  if (!host || !REGION.test(result.region)) return {};
  const base = `https://${host(result.region)}`;
  const links: AlertLinks = {};
  if (CLUSTER_NAME.test(result.cluster)) {
    links.console = `${base}/eks/clusters/${result.cluster}?region=${result.region}&selectedTab=cluster-networking-tab`;
  }
  if (trigger.source === 'event' && trigger.eventId && EVENT_ID.test(trigger.eventId)) {
    links.cloudTrailEvent = `${base}/cloudtrailv2/home?region=${result.region}#/events/${trigger.eventId}`;
  }
  return links;
}

/** `a, b` or, when long, `a +3 more` — for subjects and titles. */
export function cidrSummary(cidrs: readonly string[], more: (n: number) => string): string {
  const all = cidrs.join(', ');
  return all.length <= 40 || cidrs.length < 2 ? all : `${cidrs[0]} ${more(cidrs.length - 1)}`;
}

/** `public (0.0.0.0/0) + private` in the words of a language. */
export function describeConfig(
  config: EndpointConfig,
  words: { public: string; private: string; none: string },
): string {
  const parts: string[] = [];
  if (config.publicAccess) parts.push(`${words.public} (${config.publicAccessCidrs.join(', ')})`);
  if (config.privateAccess) parts.push(words.private);
  return parts.length > 0 ? parts.join(' + ') : words.none;
}
