import type { EndpointConfig } from '../endpoint';
import { cidrSummary, describeConfig } from './derive';
import type { AlertFacts, AlertRule, Headline, TriggerFacts } from './fact-types';
import type { Phrases } from './phrase-book';

/** The English sentences of an alert: the words of today's e-mail. */
export const en: Phrases = {
  language: 'en',
  headline(h, c) {
    switch (h.kind) {
      case 'escalation':
        return `${c} keeps being made non-compliant by ${h.actorLabel ?? 'an unknown actor'}`;
      case 'remediated': {
        const list = cidrSummary(h.cidrs, (n) => `+${n} more`);
        if (h.change === 'public-off') return `${c}: public endpoint turned off (was open to ${list})`;
        if (h.change === 'narrowed') return `${c}: public access narrowed to ${list}`;
        if (h.change === 'private-on') return `${c}: private endpoint turned on`;
        return `${c}: endpoint access changed`;
      }
      case 'would-remediate': {
        const list = cidrSummary(h.cidrs, (n) => `+${n} more`);
        if (h.change === 'public-off') return `${c}: would turn public endpoint off (notify mode)`;
        if (h.change === 'narrowed') return `${c}: would narrow public access to ${list} (notify mode)`;
        if (h.change === 'private-on') return `${c}: would turn private endpoint on (notify mode)`;
        return `${c}: non-compliant, not changed (notify mode)`;
      }
      case 'exempt':
        return `${c}: non-compliant but exempt (${h.reason || 'exemption'})`;
      case 'blocked':
        return `${c}: remediation blocked (${blockedEn(h.cause)})`;
      case 'policy-fault':
        return `failed: policy ${h.fault.source} ${POLICY_STATE_EN[h.fault.state]}`;
      case 'update-failed':
        return `${c}: endpoint update ${h.status.toLowerCase()}${h.code ? ` (${h.code})` : ''}`;
      case 'check-failed':
        return `${c}: check failed (${h.reason})`;
      case 'resolved':
        return `${c}: compliant again, alert resolved`;
      case 'grace':
        return `${c}: non-compliant, will be reverted at ${h.until.slice(11, 16)} UTC (grace period)`;
      case 'blast-radius':
        return `sweep stopped at the blast-radius limit (${h.limit}): ${h.withheld} cluster(s) not changed`;
      case 'policy-change': {
        const actor = h.actorLabel ?? 'an unknown actor';
        if (h.state === 'deleted') return `policy ${h.parameter} deleted by ${actor}`;
        if (h.state === 'invalid') return `policy ${h.parameter} is invalid after a change by ${actor}`;
        return `policy ${h.parameter} ${h.state} by ${actor}${h.first ? `: ${h.first}` : ''}`;
      }
      default:
        return `${c}: ${h.reason}`;
    }
  },
  happened(f, value) {
    const c = `EKS cluster ${f.cluster}`;
    const lines: string[] = [];
    if (f.escalation) {
      lines.push(
        `${c} keeps being made non-compliant: ${f.escalation.remediations} remediations in the last ${f.escalation.windowMinutes} minutes, the latest by ${value(f.escalation.actorArn ?? 'an unknown actor')}.`,
      );
    }
    const changes = f.changes.map((x) => changeEn(x, f.after, f.mood === 'did'));
    if (f.status === 'open' && f.policyChange) return [...lines, policyChangeEn(f, value)];
    if (f.status === 'open' && f.blastRadius) return [...lines, ...blastRadiusEn(f, value)];
    switch (f.status === 'resolved' ? 'resolved' : f.outcome) {
      case 'resolved':
        lines.push(
          `${c} complies with the endpoint policy again; the alert raised when it was ${f.resolves ?? 'non-compliant'} is resolved.`,
        );
        break;
      case 'remediated':
        lines.push(
          changes.length
            ? `The guard changed ${c} to comply with the endpoint policy: it ${joinEn(changes)}.`
            : `The guard changed the endpoint access of ${c} to comply with the endpoint policy.`,
        );
        break;
      case 'would-remediate':
        lines.push(
          `${c} does not comply with the endpoint policy. The policy is in notify mode, so nothing was changed${
            changes.length ? `; in enforce mode the guard would ${joinEn(changes)}` : ''
          }.`,
        );
        break;
      case 'exempt':
        lines.push(
          `${c} does not comply with the endpoint policy, but it is exempt, so nothing was changed.`,
        );
        break;
      case 'blocked':
        lines.push(
          `The guard did not change ${c}, which does not comply with the endpoint policy: ${value(f.reason)}.`,
        );
        break;
      case 'failed':
        lines.push(`The guard could not check or correct ${c}: ${value(f.reason)}.`);
        break;
      case 'deferred':
        lines.push(f.grace ? graceEn(f, changes) : `${c}: ${value(f.reason)}.`);
        break;
      default:
        lines.push(`${c}: ${value(f.reason)}.`);
    }
    return lines;
  },
  access(e, mood) {
    const now = mood === 'did';
    switch (e.kind) {
      case 'unchanged':
        return `Nothing was changed: access stays ${en.config(e.config)}.`;
      case 'public-off':
        return now
          ? 'kubectl and CI from outside the VPC now need VPN, Direct Connect or peering into the VPC; inside the VPC the API name resolves to private IPs.'
          : 'kubectl and CI from outside the VPC would need VPN, Direct Connect or peering into the VPC; inside the VPC the API name would resolve to private IPs.';
      case 'narrowed':
        return now
          ? `Only clients from ${e.cidrs.join(', ')} reach the public endpoint; kubectl and CI from other addresses are refused.`
          : `Only clients from ${e.cidrs.join(', ')} would reach the public endpoint; kubectl and CI from other addresses would be refused.`;
      case 'nodes-through-nat':
        return 'Nodes reach the API server through NAT: their public addresses must be in that list.';
      case 'private-on':
        return now
          ? 'Nodes and pods in the VPC now reach the API server privately, without leaving the VPC.'
          : 'Nodes and pods in the VPC would reach the API server privately, without leaving the VPC.';
      case 'peering-resolves-public':
        return 'Over peering, VPN or Direct Connect the API name still resolves to public IPs, so those clients must come from an allowed CIDR.';
      default:
        return 'Access is still authenticated by IAM and authorised by Kubernetes RBAC.';
    }
  },
  action(a, value) {
    switch (a.kind) {
      case 'remove-exemption': {
        const source = a.source === 'tag' ? 'the cluster tag' : 'an entry in the policy exemptions';
        const until = a.expires ? `until ${a.expires} (inclusive)` : 'with no end date';
        return [
          `Exempt by ${source}, ${until}: ${value(a.reason)}.`,
          'Remove the exemption to let the guard enforce the policy on this cluster.',
        ];
      }
      case 'fix-policy':
        return [
          `Correct the policy in the SSM parameter ${a.parameter}; until it can be read, the guard changes nothing on any cluster.`,
        ];
      case 'fix-blocked':
        return [
          value(a.fix),
          'Turning the public endpoint off while the VPC cannot resolve the private endpoint would cut nodes and kubectl off from the API server. The next sweep checks the cluster again.',
        ];
      case 'before-enforcing':
        return [
          `Before enforcing: ${value(a.fix)}`,
          'Until then the guard would refuse this change (outcome blocked) to keep private clients able to reach the API server.',
        ];
      case 'fix-reapplier':
        return [
          'Whatever re-applies the setting (a deployment pipeline, infrastructure code, a person) must be fixed there, or the cluster exempted; otherwise the guard and it keep undoing each other.',
        ];
      default:
        return [
          `Need an exception? Tag the cluster ${a.tag}=<reason> or add an entry to \`exemptions\` in ${a.parameter}.`,
        ];
    }
  },
  rule: (r) => RULE_EN[r],
  outcome: (o) => o,
  severity: (s) => s,
  foundBy: (s) => FOUND_EN[s],
  config: (c) => describeConfig(c, { public: 'public', private: 'private', none: 'no endpoint' }),
  labels: {
    cluster: 'Cluster',
    arn: 'ARN',
    account: 'Account',
    region: 'Region',
    outcome: 'Outcome',
    decidedAt: 'Decided at',
    whoChanged: 'Who made the change',
    howFound: 'How it was found',
    foundBy: 'Found by',
    event: 'Event',
    actor: 'Actor',
    theGuard: '(the guard itself)',
    sourceIp: 'Source IP',
    userAgent: 'User agent',
    time: 'Time',
    attempt: (n) => `${n + 1} (re-checked after the cluster was busy)`,
    endpointAccess: 'Endpoint access',
    before: 'Before',
    after: 'After',
    target: 'Target',
    compliantTarget: 'Compliant target',
    rulesBroken: 'Policy rules broken',
    rulesResolved: 'Policy rules now met',
    rules: 'Rules',
    policy: (source, version, mode) =>
      `${source}${version !== undefined ? `, parameter version ${version}` : ''}, mode ${mode}`,
    digest: 'Digest',
    whatItMeans: 'What it means for access',
    whatToDo: 'What to do',
    update: 'EKS update',
    updateId: 'Update id',
    status: 'Status',
    updateErrors: 'Errors reported by EKS',
    links: 'Links',
    consoleLink: 'Cluster networking in the EKS console',
    cloudTrailLink: 'The CloudTrail event',
    correlationId: 'Correlation id',
    detail: 'Detail',
  },
};

const RULE_EN: Record<AlertRule, string> = {
  'public-disabled': 'the public endpoint must be off',
  'public-cidrs': 'public access only from the allowed networks',
  'private-required': 'the private endpoint must be on',
  check: 'the guard could check and correct the cluster',
};

const FOUND_EN: Record<TriggerFacts['source'], string> = {
  event: 'a CloudTrail event',
  sweep: 'the periodic sweep',
  recheck: 'a re-check',
  cli: 'the command line',
};

const POLICY_STATE_EN = {
  missing: 'is missing',
  unreadable: 'cannot be read',
  empty: 'is empty',
  invalid: 'is invalid',
} as const;

function blockedEn(cause: Extract<Headline, { kind: 'blocked' }>['cause']): string {
  if (cause.kind === 'reason') return cause.reason;
  if (cause.kind === 'dhcp') return 'VPC DHCP options cannot resolve the private endpoint';
  if (cause.support && cause.hostnames) return 'VPC DNS support and hostnames off';
  return cause.support ? 'VPC DNS support off' : 'VPC DNS hostnames off';
}

function changeEn(
  change: AlertFacts['changes'][number],
  after: EndpointConfig | undefined,
  did: boolean,
): string {
  if (change === 'public-off') return did ? 'turned the public endpoint off' : 'turn the public endpoint off';
  if (change === 'private-on') return did ? 'turned the private endpoint on' : 'turn the private endpoint on';
  const cidrs = (after?.publicAccessCidrs ?? []).join(', ');
  return did ? `narrowed public access to ${cidrs}` : `narrow public access to ${cidrs}`;
}

function joinEn(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** A new violation left alone for the grace period: when it is reverted. */
function graceEn(f: AlertFacts, changes: string[]): string {
  const until = f.grace?.until ?? '';
  return `EKS cluster ${f.cluster} does not comply with the endpoint policy. The policy gives a grace period, so nothing was changed yet: it will be reverted at ${until.slice(11, 16)} UTC (${until}) unless an exemption appears or the cluster is made compliant before then${
    changes.length ? `; the guard will then ${joinEn(changes)}` : ''
  }.`;
}

/** A sweep that stopped at the policy's maxRemediationsPerRun. */
function blastRadiusEn(f: AlertFacts, value: (text: string) => string): string[] {
  const blast = f.blastRadius;
  if (!blast) return [];
  const more =
    blast.withheld > blast.clusters.length ? ` and ${blast.withheld - blast.clusters.length} more` : '';
  return [
    `A sweep found more non-compliant clusters than the policy lets it change in one run (maxRemediationsPerRun ${blast.limit}): it left ${blast.withheld} unchanged: ${blast.clusters.map(value).join(', ')}${more}.`,
    `If the policy is wrong, correct it now: every sweep changes up to ${blast.limit} more.`,
  ];
}

/** Who changed the policy parameter, and what that means. */
function policyChangeEn(f: AlertFacts, value: (text: string) => string): string {
  const change = f.policyChange;
  const who = value(f.trigger.actorArn ?? 'an unknown actor');
  if (!change) return '';
  if (f.outcome === 'failed') {
    return `The policy parameter ${change.parameter} was changed by ${who} and the guard can no longer use it: ${value(f.reason)}.`;
  }
  return `The policy parameter ${change.parameter} was changed by ${who} (${change.eventName}).${change.weaker.length > 0 ? ' The change weakens enforcement.' : ''}`;
}
