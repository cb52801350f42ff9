import { createHash } from 'node:crypto';
import type { ActiveExemption } from './effective';
import type { CheckResult } from './result';

/** How many of a cluster's newest audit records are read to find the last alerted decision. */
export const SIGHTING_HISTORY = 20;

/**
 * The decision to compare a new sighting with: the newest record people were told about (it has
 * an alert message id, or its alert was queued). Deferred and ignored records in between never
 * count, so a busy cluster or a stray event does not re-alert. A `compliant` record ends the
 * situation: what follows is a new sighting. When no alerted record is in reach, the newest
 * decision is used, so a long quiet run of repeats stays quiet.
 */
export function previousSighting(history: readonly CheckResult[]): CheckResult | undefined {
  const decisions = history.filter((r) => r.outcome !== 'deferred' && r.outcome !== 'ignored');
  return (
    decisions.find(
      (r) => r.alertMessageId !== undefined || r.alertQueued === true || r.outcome === 'compliant',
    ) ?? decisions[0]
  );
}

/** Whether people were already told about this exemption (same source, reason and expiry) and this tag rejection. */
export function sameExemptionStory(previous: CheckResult | undefined, current: CheckResult): boolean {
  return (
    sameExemption(previous?.exemption, current.exemption) &&
    previous?.rejectedTag?.why === current.rejectedTag?.why &&
    previous?.rejectedTag?.value === current.rejectedTag?.value
  );
}

function sameExemption(a: ActiveExemption | undefined, b: ActiveExemption | undefined): boolean {
  if (!a || !b) return a === b;
  return a.source === b.source && a.reason === b.reason && a.expires === b.expires;
}

/**
 * When the guard first saw the cluster's current tag exemption: the `since` of the newest record
 * with a tag exemption of the same reason. maxTagExemptionDays counts from there.
 */
export function tagExemptionSince(history: readonly CheckResult[], reason: string): Date | undefined {
  const since = history.find((r) => r.exemption?.source === 'tag' && r.exemption.reason === reason)?.exemption
    ?.since;
  const time = since ? Date.parse(since) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}

/**
 * The claim a first sighting takes (one alert per situation): the cluster, what is seen (outcome,
 * configuration, policy, exemption story) and the sighting it follows. Two decisions that read the
 * same history and see the same situation name the same claim.
 */
export function sightingClaimKey(result: CheckResult, previous: CheckResult | undefined): string {
  const cidrs = result.before?.publicAccess ? [...new Set(result.before.publicAccessCidrs)].sort() : [];
  const seen = [
    result.outcome,
    result.before?.publicAccess,
    result.before?.privateAccess,
    cidrs,
    result.policy?.digest,
    result.exemption && [result.exemption.source, result.exemption.reason, result.exemption.expires],
    result.rejectedTag && [result.rejectedTag.why, result.rejectedTag.value],
    previous ? `${previous.correlationId}@${previous.time}` : null,
  ];
  const digest = createHash('sha256').update(JSON.stringify(seen)).digest('hex').slice(0, 32);
  return `sighting/${result.region}/${result.cluster}/${digest}`;
}
