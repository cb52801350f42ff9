import type { Trigger } from '../core/check-request';
import { policyDiff } from '../core/policy/diff';
import { type LoadedPolicy, PolicyError, parsePolicy } from '../core/policy/policy';
import type { CheckResult, PolicyChange } from '../core/result';
import type { PolicyChangeEvent } from '../core/triggers/normalise';
import type { GuardPorts, PolicyVersion } from '../ports';

export interface PolicyChangeItem {
  change: PolicyChangeEvent;
  region: string;
  trigger: Trigger;
  correlationId: string;
}

export interface PolicyChangeDecision {
  /** The record of the change (cluster `-`), alerted. */
  result: CheckResult;
  /** true: sweep the region under the new policy now. */
  sweep: boolean;
}

const DELETES = ['DeleteParameter', 'DeleteParameters'];

/**
 * Someone wrote or deleted the policy parameter: forget the cached policy, read the history for a
 * before → after summary, and say who did it. A new readable policy is swept at once; one that no
 * longer parses is `failed` with the exact fault (and, like any unusable policy, changes nothing).
 */
export async function decidePolicyChange(
  item: PolicyChangeItem,
  ports: GuardPorts,
): Promise<PolicyChangeDecision> {
  ports.policy.invalidate();
  const { change } = item;
  const parameter = ports.policy.parameterName;
  const who = item.trigger.actorArn ?? 'an unknown actor';
  const base: CheckResult = {
    cluster: '-',
    region: item.region,
    outcome: 'ignored',
    reason: '',
    time: ports.clock().toISOString(),
    correlationId: item.correlationId,
    trigger: item.trigger,
    attempt: 0,
  };
  const record = (policyChange: PolicyChange, outcome: CheckResult['outcome'], reason: string) => ({
    ...base,
    outcome,
    reason,
    policyChange,
  });

  const history = await ports.policy.history(2);
  const [latest, previous] = history;
  if (DELETES.includes(change.eventName) || !latest) {
    const policyChange: PolicyChange = {
      parameter,
      eventName: change.eventName,
      changes: ['the policy parameter was deleted'],
      weaker: ['the policy parameter was deleted'],
    };
    const reason = `policy ${parameter}: the parameter was deleted by ${who}; the guard changes nothing on any cluster until it is restored`;
    return { result: record(policyChange, 'failed', reason), sweep: false };
  }

  const versions = {
    version: latest.version,
    ...(previous && { previousVersion: previous.version }),
    ...(latest.modifiedBy && { modifiedBy: latest.modifiedBy }),
  };
  if (change.eventName === 'LabelParameterVersion') {
    const policyChange: PolicyChange = {
      parameter,
      eventName: change.eventName,
      ...versions,
      changes: ['a label was moved; the value the guard reads is unchanged'],
      weaker: [],
    };
    return {
      result: record(
        policyChange,
        'ignored',
        `policy ${parameter}: labels changed by ${who}; the policy is unchanged`,
      ),
      sweep: false,
    };
  }

  let after: LoadedPolicy;
  try {
    after = { ...parsePolicy(latest.value, parameter), parameterVersion: latest.version };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    const policyChange: PolicyChange = {
      parameter,
      eventName: change.eventName,
      ...versions,
      changes: [`version ${latest.version} is not a valid policy`],
      weaker: [`version ${latest.version} is not a valid policy`],
    };
    const reason = `${error.message}; changed by ${who}; nothing changed`;
    return { result: record(policyChange, 'failed', reason), sweep: false };
  }
  const before = readable(previous, parameter);
  const diff = policyDiff(before?.policy, after.policy);
  const changes = [
    ...(previous && !before ? [`version ${previous.version} before it was not a valid policy`] : []),
    ...(diff.changes.length > 0 ? diff.changes : ['the text changed, the rules did not']),
  ];
  const policyChange: PolicyChange = {
    parameter,
    eventName: change.eventName,
    ...versions,
    changes,
    weaker: diff.weaker,
  };
  const from = previous ? `version ${previous.version} → ${latest.version}` : `version ${latest.version}`;
  const reason = `policy ${parameter} changed by ${who} (${from}): ${changes.join('; ')}; sweeping under the new policy`;
  return { result: { ...record(policyChange, 'ignored', reason), policy: policyRefOf(after) }, sweep: true };
}

/** How long after a policy change its event may still be retried (Lambda's maximum event age is 6 hours). */
const RETRY_WINDOW_MS = 6 * 3_600_000;

/**
 * The decision already recorded for this policy change event, when the event is a retry or a
 * second delivery: its record and alert stand, only the sweep under the new policy is run again.
 * Deciding again would alert the same change twice, or describe a later version as this change.
 */
export async function earlierPolicyDecision(
  item: PolicyChangeItem,
  ports: GuardPorts,
): Promise<PolicyChangeDecision | undefined> {
  const [earlier] = await ports.audit.query({
    cluster: '-',
    region: item.region,
    since: new Date(ports.clock().getTime() - RETRY_WINDOW_MS),
    limit: 1,
    filter: (r) => r.correlationId === item.correlationId && r.policyChange !== undefined,
  });
  if (!earlier) return undefined;
  ports.policy.invalidate();
  // Only a readable new policy carries its reference, and only that one is swept.
  return { result: earlier, sweep: earlier.policy !== undefined };
}

function readable(version: PolicyVersion | undefined, parameter: string): LoadedPolicy | undefined {
  if (!version) return undefined;
  try {
    return parsePolicy(version.value, parameter);
  } catch {
    return undefined;
  }
}

function policyRefOf(loaded: LoadedPolicy): NonNullable<CheckResult['policy']> {
  return {
    source: loaded.source,
    version: loaded.policy.version,
    digest: loaded.digest,
    ...(loaded.parameterVersion !== undefined ? { policyParameterVersion: loaded.parameterVersion } : {}),
    mode: loaded.policy.mode,
    exemptionTag: loaded.policy.exemptionTag,
    rule: `publicAccess "${loaded.policy.publicAccess}", privateAccess "${loaded.policy.privateAccess}" (policy)`,
  };
}
