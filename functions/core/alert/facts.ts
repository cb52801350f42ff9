import type { Trigger } from '../check-request';
import type { ActiveExemption } from '../effective';
import type { Outcome, Severity } from '../outcome';
import type { CheckResult } from '../result';
import { safeClientsCutOff } from './clients';
import {
  accessOf,
  actionsOf,
  actorLabel,
  changesOf,
  headlineOf,
  isTagEvent,
  linksOf,
  partitionOf,
  policyFaultOf,
} from './derive';
import type { AlertFacts, AlertRule, AlertStatus, FactsOptions, TriggerFacts } from './fact-types';
import { safeLine } from './forms';

const ALERTING: readonly Outcome[] = ['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'];
/** An open alert of these outcomes stays open until the cluster is seen compliant (resolved.ts). */
export const RESOLVABLE: readonly Outcome[] = ['failed', 'blocked', 'would-remediate'];

const ACCOUNT = /^\d{12}$/;

/** The facts of the alert for a decision, or undefined when the decision alerts nobody (DESIGN §4). */
export function factsOf(result: CheckResult, options: FactsOptions): AlertFacts | undefined {
  // A deferral alerts only as the first sighting of a violation under a grace period (graceUntil);
  // a policy change alerts whatever its outcome (a changed policy is `ignored` for the cluster `-`).
  const grace = result.outcome === 'deferred' && result.graceUntil !== undefined;
  if (!result.escalation && !grace && !result.policyChange && !ALERTING.includes(result.outcome))
    return undefined;
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
  if (result.clientsCutOff && status === 'open')
    facts.clientsCutOff = safeClientsCutOff(result.clientsCutOff);
  if (result.policyChange) {
    const { parameter, eventName, version, previousVersion, changes: lines, weaker } = result.policyChange;
    facts.policyChange = {
      parameter: safeLine(parameter, 2048),
      eventName: safeLine(eventName, 64),
      ...(version !== undefined && { version }),
      ...(previousVersion !== undefined && { previousVersion }),
      changes: lines.slice(0, 50).map((line) => safeLine(line)),
      weaker: weaker.slice(0, 50).map((line) => safeLine(line)),
    };
  }
  facts.headline = headlineOf(result, facts);
  if (status === 'open') {
    facts.access = accessOf(result, changes);
    facts.actions = actionsOf(result, facts, options);
  }
  return facts;
}

/** The severity of a decision's alert: the SNS `severity` attribute pagers route on. */
export function severityOf(result: CheckResult): Severity {
  if (result.escalation || result.blastRadius || result.outcome === 'failed' || result.outcome === 'blocked')
    return 'critical';
  if (result.policyChange) return result.policyChange.weaker.length > 0 ? 'critical' : 'warning';
  // Someone just set or removed a tag to exempt the cluster: not routine information.
  if (result.outcome === 'exempt') return isTagEvent(result.trigger) ? 'warning' : 'info';
  return 'warning';
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

/** What an alert may show of a trigger: from a decision, or from a member's alert@2 JSON (central chat). */
export type TriggerInput = Pick<
  Trigger,
  'source' | 'byGuard' | 'eventId' | 'eventName' | 'eventTime' | 'actorArn' | 'sourceIp' | 'userAgent'
>;

/** Every string of the trigger as one safe, bounded line. */
export function triggerFacts(trigger: TriggerInput): TriggerFacts {
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

function safeExemption(exemption: ActiveExemption): ActiveExemption {
  return {
    source: exemption.source,
    reason: safeLine(exemption.reason, 256),
    ...(exemption.expires && { expires: safeLine(exemption.expires, 32) }),
  };
}
