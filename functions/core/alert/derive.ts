import type { EndpointConfig } from '../endpoint';
import type { CheckResult } from '../result';
import type {
  AccessEffect,
  Action,
  AlertFacts,
  AlertLinks,
  BlockedCause,
  Change,
  FactsOptions,
  Headline,
  PolicyFault,
  TriggerFacts,
} from './fact-types';
import { safeLine } from './forms';

/**
 * What the facts say beyond the decision's own fields, derived purely from it: the changes, the
 * headline, what it means for access, what to do, and the console links.
 */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EVENT_ID = /^[0-9A-Za-z-]{1,128}$/;
/** A tag event set or removed tags: an exemption someone just made or ended. */
export function isTagEvent(trigger: Pick<TriggerFacts, 'eventName'>): boolean {
  return trigger.eventName === 'TagResource' || trigger.eventName === 'UntagResource';
}

/** `assumed-role/Deployer/ci` rather than the whole ARN. */
export function actorLabel(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return safeLine(resource || arn, 128);
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

export function headlineOf(result: CheckResult, facts: AlertFacts): Headline {
  if (facts.policyChange) return policyChangeHeadline(result, facts);
  if (facts.blastRadius) {
    return { kind: 'blast-radius', limit: facts.blastRadius.limit, withheld: facts.blastRadius.withheld };
  }
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
    case 'deferred':
      return facts.grace
        ? { kind: 'grace', until: facts.grace.until }
        : { kind: 'other', reason: facts.reason };
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

/** Who changed the policy parameter, and whether it weakened, deleted or broke the policy. */
function policyChangeHeadline(result: CheckResult, facts: AlertFacts): Headline {
  const change = facts.policyChange;
  const label = facts.trigger.actorArn && actorLabel(facts.trigger.actorArn);
  const state =
    result.outcome === 'failed'
      ? change?.eventName.startsWith('Delete')
        ? 'deleted'
        : 'invalid'
      : (change?.weaker.length ?? 0) > 0
        ? 'weakened'
        : 'changed';
  return {
    kind: 'policy-change',
    parameter: change?.parameter ?? '',
    state,
    ...(label && { actorLabel: label }),
    ...(change?.changes[0] && { first: change.changes[0] }),
  };
}

/** A PolicyError message (`policy <source>: <fault>`) read back, to name the parameter and the field. */
export function policyFaultOf(reason: string): PolicyFault | undefined {
  const match = /^policy (\S+): (.*)$/.exec(reason);
  if (!match) return undefined;
  const [, source = '', fault = ''] = match;
  const state = /does not exist|not found|was deleted/i.test(fault)
    ? 'missing'
    : /denied/i.test(fault)
      ? 'unreadable'
      : /empty/i.test(fault)
        ? 'empty'
        : 'invalid';
  const at = /^not valid JSON at line (\d+), column (\d+)/.exec(fault);
  const field = state === 'invalid' && !at ? /^([A-Za-z][\w.[\]]{0,120}): /.exec(fault)?.[1] : undefined;
  return {
    source: safeLine(source, 256),
    state,
    ...(at && { at: { line: Number(at[1]), column: Number(at[2]) } }),
    ...(field && { field }),
  };
}

/** The lockout guard's usual causes; anything else is the decision's own reason. */
export function blockedCause(result: CheckResult): BlockedCause {
  const lockout = result.lockout;
  if (lockout) {
    if (lockout.turnOn.length > 0) {
      return {
        kind: 'dns',
        support: lockout.turnOn.includes('dnsSupport'),
        hostnames: lockout.turnOn.includes('dnsHostnames'),
      };
    }
    if (lockout.dhcp) return { kind: 'dhcp' };
  }
  const said = `${result.fix ?? ''} ${result.reason}`;
  const support = /enableDnsSupport|DNS support/i.test(said);
  const hostnames = /enableDnsHostnames|DNS hostnames/i.test(said);
  if (support || hostnames) return { kind: 'dns', support, hostnames };
  return { kind: 'reason', reason: safeLine(result.reason) };
}

/** What the decision means for who can reach the API server (DESIGN §1). */
export function accessOf(result: CheckResult, changes: Change[]): AccessEffect[] {
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

export function actionsOf(result: CheckResult, facts: AlertFacts, options: FactsOptions): Action[] {
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

export function partitionOf(arn: string | undefined): string {
  const partition = arn?.split(':')[1];
  return partition && /^aws(-[a-z]+)*$/.test(partition) ? partition : 'aws';
}

const CONSOLE_HOSTS: Record<string, (region: string) => string> = {
  aws: (region) => `${region}.console.aws.amazon.com`,
  'aws-cn': () => 'console.amazonaws.cn',
  'aws-us-gov': () => 'console.amazonaws-us-gov.com',
};

/** Console links, built only from values that match their strict forms (nothing else reaches a URL). */
export function linksOf(result: CheckResult, trigger: TriggerFacts): AlertLinks {
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
