import type { Trigger } from '../check-request';
import { describeEndpointConfig, type EndpointConfig } from '../endpoint';
import { forEmail, MAX_EMAIL_VALUE } from '../escape';
import type { Severity } from '../outcome';
import type { CheckResult } from '../result';
import type { AlertOptions } from './alert-options';
import { exemptionLines, fixLines, updateLines } from './body-actions';
import { type Change, changesOf } from './changes';
import { clientsLines, safeClientsCutOff } from './clients';
import { indent, labelled, safe } from './email-layout';

// ---- body ----

export function bodyOf(result: CheckResult, severity: Severity, options: AlertOptions): string {
  const sections = [
    whatHappened(result),
    policyChangeLines(result),
    facts(result, severity),
    triggerLines(result.trigger, result.attempt),
    configLines(result),
    policyLines(result),
    accessLines(result),
    clientsSection(result),
    fixLines(result),
    updateLines(result),
    exemptionLines(result, options),
    [`Correlation id: ${result.correlationId}`],
  ];
  // Every line, whatever it quotes, goes through the e-mail form's escaping: a line break inside
  // a value (a user agent, a tag, a reason) can never start a line of its own.
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.map((line) => forEmail(line, MAX_LINE)).join('\n'))
    .join('\n\n')}\n`;
}

/** Long enough for any line the guard writes around a shortened value. */
const MAX_LINE = 2 * MAX_EMAIL_VALUE;

function whatHappened(result: CheckResult): string[] {
  if (result.policyChange) return [policyChangeSentence(result)];
  if (result.blastRadius) {
    const { limit, withheld, clusters } = result.blastRadius;
    const more = withheld > clusters.length ? ` and ${withheld - clusters.length} more` : '';
    return [
      `A sweep found more non-compliant clusters than the policy lets it change in one run (maxRemediationsPerRun ${limit}): it left ${withheld} unchanged: ${clusters.map((c) => safe(c)).join(', ')}${more}.`,
      `If the policy is wrong, correct it now: every sweep changes up to ${limit} more.`,
    ];
  }
  const c = `EKS cluster ${safe(result.cluster)}`;
  const reason = safe(result.reason);
  const changes = changesOf(result.before, result.after);
  let sentence: string;
  switch (result.outcome) {
    case 'remediated':
      sentence = changes.length
        ? `The guard changed ${c} to comply with the endpoint policy: it ${joinAnd(changes.map((x) => changeText(x, result.after, 'did')))}.`
        : `The guard changed the endpoint access of ${c} to comply with the endpoint policy.`;
      break;
    case 'would-remediate':
      sentence = `${c} does not comply with the endpoint policy. The policy is in notify mode, so nothing was changed${
        changes.length
          ? `; in enforce mode the guard would ${joinAnd(changes.map((x) => changeText(x, result.after, 'would')))}`
          : ''
      }.`;
      break;
    case 'exempt':
      sentence = `${c} does not comply with the endpoint policy, but it is exempt, so nothing was changed.`;
      break;
    case 'deferred':
      sentence = result.graceUntil
        ? `${c} does not comply with the endpoint policy. The policy gives a grace period, so nothing was changed yet: it will be reverted at ${result.graceUntil.slice(11, 16)} UTC (${result.graceUntil}) unless an exemption appears or the cluster is made compliant before then${
            changes.length
              ? `; the guard will then ${joinAnd(changes.map((x) => changeText(x, result.after, 'would')))}`
              : ''
          }.`
        : `${c}: ${reason}.`;
      break;
    case 'blocked':
      sentence = `The guard did not change ${c}, which does not comply with the endpoint policy: ${reason}.`;
      break;
    case 'failed':
      sentence =
        result.cluster === '-'
          ? `The guard could not decide: ${reason}.`
          : `The guard could not check or correct ${c}: ${reason}.`;
      break;
    default:
      sentence = `${c}: ${reason}.`;
  }
  const escalation = result.escalation;
  if (!escalation) return [sentence];
  return [
    `${c} keeps being made non-compliant: ${escalation.remediations} remediations in the last ${escalation.windowMinutes} minutes, the latest by ${safe(escalation.actorArn ?? result.trigger.actorArn) ?? 'an unknown actor'}.`,
    'Whatever re-applies the setting (a deployment pipeline, infrastructure code, a person) must be fixed there, or the cluster exempted; otherwise the guard and it keep undoing each other.',
    sentence,
  ];
}

function policyChangeSentence(result: CheckResult): string {
  const change = result.policyChange;
  const who = safe(result.trigger.actorArn) ?? 'an unknown actor';
  if (!change) return '';
  if (result.outcome === 'failed') {
    return `The policy parameter ${safe(change.parameter)} was changed by ${who} and the guard can no longer use it: ${safe(result.reason)}.`;
  }
  const weaker = change.weaker.length > 0 ? ' The change weakens enforcement.' : '';
  return `The policy parameter ${safe(change.parameter)} was changed by ${who} (${change.eventName}).${weaker}`;
}

function policyChangeLines(result: CheckResult): string[] {
  const change = result.policyChange;
  if (!change) return [];
  const versions =
    change.version === undefined
      ? undefined
      : change.previousVersion === undefined
        ? `${change.version}`
        : `${change.previousVersion} → ${change.version}`;
  return [
    'Policy change (before → after)',
    ...change.changes.map(
      (line) => `  - ${safe(line)}${change.weaker.includes(line) ? '  [weakens enforcement]' : ''}`,
    ),
    ...indent(
      labelled([
        ['Parameter', change.parameter],
        ['Version', versions],
        ['Modified by', change.modifiedBy],
        [
          'Next',
          result.outcome === 'ignored' && change.eventName === 'PutParameter'
            ? 'every cluster of the region is checked now under the new policy'
            : undefined,
        ],
      ]),
    ),
  ];
}

function changeText(change: Change, after: EndpointConfig | undefined, mood: 'did' | 'would'): string {
  const did = mood === 'did';
  if (change === 'public-off') return did ? 'turned the public endpoint off' : 'turn the public endpoint off';
  if (change === 'private-on') return did ? 'turned the private endpoint on' : 'turn the private endpoint on';
  const cidrs = (after?.publicAccessCidrs ?? []).join(', ');
  return did ? `narrowed public access to ${cidrs}` : `narrow public access to ${cidrs}`;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function facts(result: CheckResult, severity: Severity): string[] {
  return labelled([
    ['Cluster', result.cluster],
    ['ARN', result.clusterArn],
    ['Account', result.account],
    ['Region', result.region],
    ['Outcome', `${result.outcome} (${severity})`],
    // Blocked and failed decisions already give their reason in the first sentence.
    ['Decision', result.outcome === 'blocked' || result.outcome === 'failed' ? undefined : result.reason],
    ['Decided at', result.time],
  ]);
}

function triggerLines(trigger: Trigger, attempt: number): string[] {
  const known = trigger.actorArn || trigger.sourceIp || trigger.userAgent || trigger.eventName;
  const how: Record<Trigger['source'], string> = {
    event: 'a CloudTrail event',
    sweep: 'the periodic sweep',
    recheck: 'a re-check',
    cli: 'the command line',
  };
  const lines = labelled([
    ['Found by', how[trigger.source] ?? trigger.source],
    [
      'Event',
      trigger.eventName && `${trigger.eventName}${trigger.eventId ? ` (event id ${trigger.eventId})` : ''}`,
    ],
    [
      'Actor',
      trigger.actorArn &&
        `${trigger.actorArn}${trigger.byGuard ? ' (the guard itself)' : ''}${trigger.actorSource === 'lookup' ? ' (found by CloudTrail lookup: the latest endpoint change)' : ''}`,
    ],
    ['Source IP', trigger.sourceIp],
    ['User agent', trigger.userAgent],
    ['Time', trigger.eventTime],
    ['Attempt', attempt > 0 ? `${attempt + 1} (re-checked after the cluster was busy)` : undefined],
  ]);
  return [known ? 'Who made the change' : 'How it was found', ...indent(lines)];
}

function configLines(result: CheckResult): string[] {
  if (!result.before && !result.after) return [];
  const afterLabel =
    result.outcome === 'remediated' ? 'After' : result.outcome === 'failed' ? 'Target' : 'Compliant target';
  return [
    'Endpoint access',
    ...indent(
      labelled([
        ['Before', result.before && describeEndpointConfig(result.before)],
        [afterLabel, result.after && describeEndpointConfig(result.after)],
      ]),
    ),
  ];
}

function policyLines(result: CheckResult): string[] {
  const violations = (result.violations ?? []).map((x) => `  - ${safe(x.reason)} [${x.rule}]`);
  const policy = result.policy;
  const details = policy
    ? indent(
        labelled([
          ['Rules', policy.rule],
          ['Policy', `${policy.source}, version ${policy.version}, mode ${policy.mode}`],
          ['Digest', policy.digest],
        ]),
      )
    : [];
  if (violations.length === 0 && details.length === 0) return [];
  return [violations.length ? 'Policy rules broken' : 'Policy', ...violations, ...details];
}

/** The API clients the target cuts off, from the audit log (DESIGN §18). */
function clientsSection(result: CheckResult): string[] {
  if (!result.clientsCutOff) return [];
  const { title, lines } = clientsLines(safeClientsCutOff(result.clientsCutOff), 'en', (text) => text);
  return [title, ...indent(lines)];
}

/** What the decision means for who can reach the API server (DESIGN §1). */
function accessLines(result: CheckResult): string[] {
  const { before, after, outcome } = result;
  if (outcome === 'exempt' || outcome === 'failed' || outcome === 'blocked') {
    return before
      ? ['What it means for access', `  Nothing was changed: access stays ${describeEndpointConfig(before)}.`]
      : [];
  }
  if (!before || !after) return [];
  const now = outcome === 'remediated';
  const changes = changesOf(before, after);
  const lines: string[] = [];
  if (changes.includes('public-off')) {
    lines.push(
      now
        ? 'kubectl and CI from outside the VPC now need VPN, Direct Connect or peering into the VPC; inside the VPC the API name resolves to private IPs.'
        : 'kubectl and CI from outside the VPC would need VPN, Direct Connect or peering into the VPC; inside the VPC the API name would resolve to private IPs.',
    );
  }
  if (changes.includes('narrowed')) {
    const cidrs = after.publicAccessCidrs.join(', ');
    lines.push(
      now
        ? `Only clients from ${cidrs} reach the public endpoint; kubectl and CI from other addresses are refused.`
        : `Only clients from ${cidrs} would reach the public endpoint; kubectl and CI from other addresses would be refused.`,
    );
    if (!after.privateAccess) {
      lines.push('Nodes reach the API server through NAT: their public addresses must be in that list.');
    }
  }
  if (changes.includes('private-on')) {
    lines.push(
      now
        ? 'Nodes and pods in the VPC now reach the API server privately, without leaving the VPC.'
        : 'Nodes and pods in the VPC would reach the API server privately, without leaving the VPC.',
    );
  }
  if (after.publicAccess && after.privateAccess && changes.length > 0) {
    lines.push(
      'Over peering, VPN or Direct Connect the API name still resolves to public IPs, so those clients must come from an allowed CIDR.',
    );
  }
  if (lines.length === 0) return [];
  lines.push('Access is still authenticated by IAM and authorised by Kubernetes RBAC.');
  return ['What it means for access', ...indent(lines)];
}
