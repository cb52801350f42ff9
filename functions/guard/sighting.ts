import type { CheckRequest } from '../core/check-request';
import { type EffectivePolicy, effectivePolicyFor, tagExemptionReason } from '../core/effective';
import type { LoadedPolicy } from '../core/policy/policy';
import { isRepeatSighting } from '../core/repetition';
import type { CheckResult } from '../core/result';
import {
  previousSighting,
  SIGHTING_HISTORY,
  sameExemptionStory,
  sightingClaimAfter,
  sightingClaimKey,
  tagExemptionSince,
} from '../core/sighting';
import type { ClusterState, GuardPorts } from '../ports';
import type { GuardOptions } from './options';

/**
 * The guard's memory of a cluster's exemptions and alerts: which rules apply given when a tag
 * exemption was first seen, and whether people were already told about what is seen now.
 */

/**
 * The cluster's newest audit records, read once per decision and only when acting (report-only
 * runs need no table); when acting, with the claim a first sighting takes (aws/audit-claims.ts).
 */
export interface History {
  (): Promise<CheckResult[]>;
  claim?: (key: string, owner: string, after?: string) => Promise<boolean>;
}

export function recentHistory(request: CheckRequest, ports: GuardPorts, options: GuardOptions): History {
  let read: Promise<CheckResult[]> | undefined;
  const history: History = () => {
    if (!options.act) return Promise.resolve([]);
    read ??= ports.audit.query({ cluster: request.cluster, region: request.region, limit: SIGHTING_HISTORY });
    return read;
  };
  if (options.act) history.claim = (key, owner, after) => ports.audit.claim(key, owner, after);
  return history;
}

/** The rules for the cluster; a capped tag exemption counts its days from when the guard first saw it. */
export async function effectiveFor(
  loaded: LoadedPolicy,
  state: ClusterState,
  now: Date,
  history: History,
): Promise<EffectivePolicy> {
  const { policy } = loaded;
  const cluster = { name: state.name, tags: state.tags };
  const tag = policy.exemptionTag;
  if (policy.maxTagExemptionDays === undefined || tag === null || !Object.hasOwn(state.tags, tag)) {
    return effectivePolicyFor(policy, cluster, now);
  }
  const reason = tagExemptionReason(policy, tag, state.tags[tag] ?? '');
  const tagSince = tagExemptionSince(await history(), reason);
  return effectivePolicyFor(policy, cluster, now, tagSince ? { tagSince } : {});
}

/**
 * Alerts for exempt, would-remediate and blocked go out the first time the situation is seen, and
 * again whenever an exemption changes (its source, reason or expiry) or a rejected tag does.
 */
export async function isFirstSighting(result: CheckResult, history: History): Promise<boolean> {
  const previous = previousSighting(await history());
  const repeat =
    previous !== undefined && isRepeatSighting(previous, result) && sameExemptionStory(previous, result);
  if (repeat || !history.claim) return !repeat;
  // Two decisions at once (two sweeps, two events) read the same history: one of them tells people.
  // The claim belongs to the story, so a retry of the same event still alerts; a table that cannot
  // take it fails the check like the history read before it, and the check is retried.
  return history.claim(sightingClaimKey(result), result.correlationId, sightingClaimAfter(previous));
}
