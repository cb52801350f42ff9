import type { Trigger } from './check-request';
import { describeEndpointConfig, type EndpointConfig } from './endpoint';
import type { Outcome, Severity } from './outcome';
import type { CheckResult } from './result';

export interface Alert {
  subject: string;
  /** The body people read in an email. */
  text: string;
  /** The same decision for machines (queues, functions, webhooks). */
  json: Record<string, unknown>;
  /** Carried as SNS message attributes, so that subscriptions can filter on them. */
  attributes: { outcome: Outcome; cluster: string; severity: Severity };
}

export interface AlertOptions {
  exemptionTag: string;
  policyParameter: string;
}

export const ALERT_SCHEMA = 'eks-endpoint-guard/alert@1';
const PREFIX = '[eks-endpoint-guard]';
/** SNS wants subjects under 100 characters, on one line. */
const MAX_SUBJECT = 99;
/** A long cluster name is never cut shorter than this, even if what happened then gets cut. */
const MIN_SUBJECT_CLUSTER = 16;
const ALERTING: readonly Outcome[] = ['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'];

/** The alert for a decision people must know about (DESIGN §4), or undefined when there is none. */
export function alertFor(result: CheckResult, options: AlertOptions): Alert | undefined {
  if (!result.escalation && !ALERTING.includes(result.outcome)) return undefined;
  const severity = severityOf(result);
  return {
    subject: subjectOf(result),
    text: bodyOf(result, severity, options),
    json: machineForm(result, severity),
    attributes: { outcome: result.outcome, cluster: result.cluster, severity },
  };
}

/** The PublishCommand input: text for email and the default, the JSON form for queues, functions and webhooks. */
export function snsMessage(alert: Alert): {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
} {
  const machine = JSON.stringify(alert.json);
  const attribute = (value: string) => ({ DataType: 'String' as const, StringValue: value || '-' });
  return {
    Subject: alert.subject,
    Message: JSON.stringify({
      default: alert.text,
      email: alert.text,
      sqs: machine,
      lambda: machine,
      https: machine,
    }),
    MessageStructure: 'json',
    MessageAttributes: {
      outcome: attribute(alert.attributes.outcome),
      cluster: attribute(alert.attributes.cluster),
      severity: attribute(alert.attributes.severity),
    },
  };
}

function severityOf(result: CheckResult): Severity {
  if (result.escalation || result.outcome === 'failed' || result.outcome === 'blocked') return 'critical';
  return result.outcome === 'exempt' ? 'info' : 'warning';
}

// ---- what changed between two configurations ----

type Change = 'public-off' | 'narrowed' | 'private-on';

/** The changes a target makes, most significant first (the guard only ever takes access away). */
function changesOf(before: EndpointConfig | undefined, after: EndpointConfig | undefined): Change[] {
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

/** `a, b` or, when long, `a +3 more`. */
function cidrList(cidrs: readonly string[]): string {
  const all = cidrs.join(', ');
  return all.length <= 40 || cidrs.length < 2 ? all : `${cidrs[0]} +${cidrs.length - 1} more`;
}

// ---- subject ----

function subjectOf(result: CheckResult): string {
  const { cluster } = result;
  if (result.escalation) {
    const actor = actorLabel(result.escalation.actorArn ?? result.trigger.actorArn);
    return subjectLine(cluster, (c) => `${c} keeps being made non-compliant by ${actor}`);
  }
  const [main] = changesOf(result.before, result.after);
  switch (result.outcome) {
    case 'remediated': {
      const phrase =
        main === 'public-off'
          ? `public endpoint turned off (was open to ${cidrList(result.before?.publicAccessCidrs ?? [])})`
          : main === 'narrowed'
            ? `public access narrowed to ${cidrList(result.after?.publicAccessCidrs ?? [])}`
            : main === 'private-on'
              ? 'private endpoint turned on'
              : 'endpoint access changed';
      return subjectLine(cluster, (c) => `${c}: ${phrase}`);
    }
    case 'would-remediate': {
      const phrase =
        main === 'public-off'
          ? 'would turn public endpoint off'
          : main === 'narrowed'
            ? `would narrow public access to ${cidrList(result.after?.publicAccessCidrs ?? [])}`
            : main === 'private-on'
              ? 'would turn private endpoint on'
              : 'non-compliant, not changed';
      return subjectLine(cluster, (c) => `${c}: ${phrase} (notify mode)`);
    }
    case 'exempt':
      return subjectLine(
        cluster,
        (c) => `${c}: non-compliant but exempt (${oneLine(result.exemption?.reason ?? 'exemption')})`,
      );
    case 'blocked':
      return subjectLine(cluster, (c) => `${c}: remediation blocked (${blockedCause(result)})`);
    default:
      return failedSubject(result);
  }
}

function failedSubject(result: CheckResult): string {
  const policy = policyFault(result.reason);
  if (policy) return subjectLine(undefined, () => `failed: policy ${policy.source} ${policy.state}`);
  const status = result.updateStatus;
  if (status === 'Failed' || status === 'Cancelled') {
    const code = result.updateErrors?.[0]?.code;
    return subjectLine(
      result.cluster,
      (c) => `${c}: endpoint update ${status.toLowerCase()}${code ? ` (${code})` : ''}`,
    );
  }
  return subjectLine(result.cluster, (c) => `${c}: check failed (${oneLine(result.reason)})`);
}

/** A PolicyError message (`policy <source>: <fault>`) read back, to name the parameter in the subject. */
function policyFault(reason: string): { source: string; state: string } | undefined {
  const match = /^policy (\S+): (.*)$/.exec(reason);
  if (!match) return undefined;
  const [, source = '', fault = ''] = match;
  const state = /does not exist|not found/i.test(fault)
    ? 'is missing'
    : /denied/i.test(fault)
      ? 'cannot be read'
      : /empty/i.test(fault)
        ? 'is empty'
        : 'is invalid';
  return { source, state };
}

/** The lockout guard's usual causes, said briefly; anything else is the decision's own reason. */
function blockedCause(result: CheckResult): string {
  const said = `${result.fix ?? ''} ${result.reason}`;
  const support = /enableDnsSupport|DNS support/i.test(said);
  const hostnames = /enableDnsHostnames|DNS hostnames/i.test(said);
  if (support && hostnames) return 'VPC DNS support and hostnames off';
  if (support) return 'VPC DNS support off';
  if (hostnames) return 'VPC DNS hostnames off';
  return oneLine(result.reason);
}

/**
 * One line of printable ASCII (and the ellipsis) under the SNS limit. A long cluster name is
 * shortened first, so that what happened stays readable; only then is the line itself cut.
 */
function subjectLine(cluster: string | undefined, phrase: (cluster: string) => string): string {
  const line = (name: string) => oneLine(`${PREFIX} ${phrase(name)}`);
  const name = oneLine(cluster ?? '');
  let subject = line(name);
  const room = Math.max(MIN_SUBJECT_CLUSTER, MAX_SUBJECT - line('').length);
  if (subject.length > MAX_SUBJECT && name.length > room) {
    subject = line(`${name.slice(0, room - 1)}…`);
  }
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 1).trimEnd()}…` : subject;
}

function oneLine(value: string): string {
  return value
    .replace(/[^\x20-\x7e…]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `assumed-role/Deployer/ci` rather than the whole ARN: the part a person recognises. */
function actorLabel(arn: string | undefined): string {
  if (!arn) return 'an unknown actor';
  const resource = arn.split(':').slice(5).join(':');
  return oneLine(resource || arn);
}

// ---- body ----

function bodyOf(result: CheckResult, severity: Severity, options: AlertOptions): string {
  const sections = [
    [whatHappened(result)],
    facts(result, severity),
    triggerLines(result.trigger, result.attempt),
    configLines(result),
    policyLines(result),
    accessLines(result),
    fixLines(result),
    updateLines(result),
    exemptionLines(result, options),
    [`Correlation id: ${result.correlationId}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

function whatHappened(result: CheckResult): string {
  const c = `EKS cluster ${result.cluster}`;
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
    case 'blocked':
      sentence = `The guard did not change ${c}, which does not comply with the endpoint policy: ${result.reason}.`;
      break;
    case 'failed':
      sentence = `The guard could not check or correct ${c}: ${result.reason}.`;
      break;
    default:
      sentence = `${c}: ${result.reason}.`;
  }
  const escalation = result.escalation;
  if (!escalation) return sentence;
  return [
    `${c} keeps being made non-compliant: ${escalation.remediations} remediations in the last ${escalation.windowMinutes} minutes, the latest by ${escalation.actorArn ?? result.trigger.actorArn ?? 'an unknown actor'}.`,
    'Whatever re-applies the setting (a deployment pipeline, infrastructure code, a person) must be fixed there, or the cluster exempted; otherwise the guard and it keep undoing each other.',
    sentence,
  ].join('\n');
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
  const violations = (result.violations ?? []).map((v) => `  - ${v.reason} [${v.rule}]`);
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

function fixLines(result: CheckResult): string[] {
  if (result.outcome === 'exempt' && result.exemption) {
    const { exemption } = result;
    const source = exemption.source === 'tag' ? 'the cluster tag' : 'an entry in the policy exemptions';
    const until = exemption.expires ? `until ${exemption.expires} (inclusive)` : 'with no end date';
    return [
      'Exemption',
      `  Granted by ${source}, ${until}: ${exemption.reason}`,
      '  Remove it to let the guard enforce the policy on this cluster.',
    ];
  }
  const policy = result.outcome === 'failed' ? policyFault(result.reason) : undefined;
  if (policy) {
    return [
      'What to fix',
      `  Correct the policy in the SSM parameter ${policy.source}; until it can be read, the guard changes nothing on any cluster.`,
    ];
  }
  if (result.outcome === 'blocked') {
    return [
      'What to fix',
      `  ${result.fix ?? result.reason}`,
      '  Turning the public endpoint off while the VPC cannot resolve the private endpoint would cut nodes and kubectl off from the API server. The next sweep checks the cluster again.',
    ];
  }
  if (result.outcome === 'would-remediate' && result.fix) {
    return [
      'Before enforcing',
      `  ${result.fix}`,
      '  Until then the guard would refuse this change (outcome blocked) to keep private clients able to reach the API server.',
    ];
  }
  return [];
}

function updateLines(result: CheckResult): string[] {
  const errors = (result.updateErrors ?? []).map((e) => `  - ${e.code}: ${e.message}`);
  if (!result.updateId && !result.updateStatus && errors.length === 0) return [];
  const lines = labelled([
    ['Update id', result.updateId],
    ['Status', result.updateStatus],
  ]);
  return ['EKS update', ...indent(lines), ...(errors.length ? ['  Errors reported by EKS:', ...errors] : [])];
}

function exemptionLines(result: CheckResult, options: AlertOptions): string[] {
  const noncompliant = ['remediated', 'would-remediate', 'blocked'].includes(result.outcome);
  if (!noncompliant && !result.escalation) return [];
  return [
    'Need an exception?',
    `  Tag the cluster ${options.exemptionTag}=<reason> or add an entry to \`exemptions\` in ${options.policyParameter}.`,
  ];
}

/** `Label:  value` lines, aligned, leaving out what is unknown. */
function labelled(rows: [string, string | undefined | false][]): string[] {
  const known = rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
  const width = Math.max(0, ...known.map(([label]) => label.length)) + 2;
  return known.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

// ---- machine form ----

function machineForm(result: CheckResult, severity: Severity): Record<string, unknown> {
  const form: Record<string, unknown> = {
    schema: ALERT_SCHEMA,
    outcome: result.outcome,
    severity,
    cluster: result.cluster,
    clusterArn: result.clusterArn,
    region: result.region,
    account: result.account,
    reason: result.reason,
    trigger: result.trigger,
    before: result.before,
    after: result.after,
    violations: result.violations,
    policy: result.policy,
    exemption: result.exemption,
    fix: result.fix,
    updateId: result.updateId,
    updateStatus: result.updateStatus,
    updateErrors: result.updateErrors,
    escalation: result.escalation,
    correlationId: result.correlationId,
    time: result.time,
  };
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined));
}
