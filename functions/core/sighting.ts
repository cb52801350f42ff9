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
 * The claim a first sighting takes (one alert per situation): the cluster and what is seen
 * (outcome, configuration, policy, exemption story). The sighting it follows is not in the key:
 * two decisions that read the history a moment apart may find different previous sightings, and
 * must still name one claim. Which episode holds the claim is told by time instead
 * (sightingClaimAfter).
 */
export function sightingClaimKey(result: CheckResult): string {
  const cidrs = result.before?.publicAccess ? [...new Set(result.before.publicAccessCidrs)].sort() : [];
  const seen = [
    result.outcome,
    result.before?.publicAccess,
    result.before?.privateAccess,
    cidrs,
    result.policy?.digest,
    result.exemption && [result.exemption.source, result.exemption.reason, result.exemption.expires],
    result.rejectedTag && [result.rejectedTag.why, result.rejectedTag.value],
  ];
  const digest = createHash('sha256').update(JSON.stringify(seen)).digest('hex').slice(0, 32);
  return `sighting/${result.region}/${result.cluster}/${digest}`;
}

/**
 * A claim on the same situation taken before the sighting this one follows belongs to an earlier
 * episode (the situation ended, then came back): it is taken over. One taken after it is this
 * episode's, whoever read the history first.
 */
export function sightingClaimAfter(previous: CheckResult | undefined): string | undefined {
  return previous?.time;
}
