import { forSubject } from '../escape';
import type { CheckResult } from '../result';
import { changesOf, cidrList } from './changes';
import { blockedCause as causeOf, actorLabel as labelOf, policyFaultOf } from './derive';

const PREFIX = '[eks-endpoint-guard]';
/** SNS wants subjects under 100 characters, on one line. */
const MAX_SUBJECT = 99;
/** A long cluster name is never cut shorter than this, even if what happened then gets cut. */
const MIN_SUBJECT_CLUSTER = 16;

// ---- subject ----

export function subjectOf(result: CheckResult): string {
  const { cluster } = result;
  if (result.policyChange) {
    const change = result.policyChange;
    const actor = actorLabel(result.trigger.actorArn);
    const what =
      result.outcome === 'failed'
        ? change.eventName.startsWith('Delete')
          ? `policy ${change.parameter} deleted by ${actor}`
          : `policy ${change.parameter} is invalid after a change by ${actor}`
        : `policy ${change.parameter} ${change.weaker.length > 0 ? 'weakened' : 'changed'} by ${actor}: ${oneLine(change.changes[0] ?? '')}`;
    return subjectLine(undefined, () => what);
  }
  if (result.blastRadius) {
    const { limit, withheld } = result.blastRadius;
    return subjectLine(
      undefined,
      () => `sweep stopped at the blast-radius limit (${limit}): ${withheld} cluster(s) not changed`,
    );
  }
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
    case 'deferred':
      if (result.graceUntil) {
        const at = result.graceUntil.slice(11, 16);
        return subjectLine(
          cluster,
          (c) => `${c}: non-compliant, will be reverted at ${at} UTC (grace period)`,
        );
      }
      return failedSubject(result);
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
export function policyFault(reason: string): { source: string; state: string } | undefined {
  const fault = policyFaultOf(reason);
  return fault && { source: fault.source, state: POLICY_STATE[fault.state] };
}

const POLICY_STATE = {
  missing: 'is missing',
  unreadable: 'cannot be read',
  empty: 'is empty',
  invalid: 'is invalid',
} as const;

/** The lockout guard's usual causes, said briefly; anything else is the decision's own reason. */
function blockedCause(result: CheckResult): string {
  const cause = causeOf(result);
  if (cause.kind === 'reason') return oneLine(cause.reason);
  if (cause.kind === 'dhcp') return 'VPC DHCP options cannot resolve the private endpoint';
  if (cause.support && cause.hostnames) return 'VPC DNS support and hostnames off';
  return cause.support ? 'VPC DNS support off' : 'VPC DNS hostnames off';
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

const oneLine = forSubject;

/** `assumed-role/Deployer/ci` rather than the whole ARN: the part a person recognises. */
function actorLabel(arn: string | undefined): string {
  return arn ? oneLine(labelOf(arn)) : 'an unknown actor';
}
