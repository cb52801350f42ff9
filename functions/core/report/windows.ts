import type { Outcome } from '../outcome';
import type { CheckResult } from '../result';

/** How a window of exposure ended. */
export type ClosedBy = 'update-successful' | 'remediated' | 'compliant' | 'exempt' | 'deleted';

/**
 * One period during which a cluster's endpoint was non-compliant and not exempt: from the
 * violating change (the CloudTrail event time when known, else the first record that saw it)
 * until the guard's update was `Successful` (or the cluster was seen compliant, exempt or gone).
 * It never starts before the cluster existed (DescribeCluster's `createdAt`: a replayed or sample
 * event cannot predate it) nor before the last moment the guard knew the cluster compliant.
 */
export interface ExposureWindow {
  cluster: string;
  region: string;
  account?: string;
  /** ISO start. */
  start: string;
  /**
   * `event`/`lookup`: a CloudTrail event time; `first-seen`: the first record that saw it (no event
   * time, or one older than the last moment the cluster was known compliant); `cluster-created`:
   * the event claimed a time before the cluster existed, so the window starts at its creation.
   */
  startSource: WindowStartSource;
  /** ISO time EKS says the cluster was created, when the records name it. */
  clusterCreatedAt?: string;
  /** ISO time of the first record that saw the violation. */
  firstSeen: string;
  /** ISO end; absent while still open. */
  end?: string;
  closedBy?: ClosedBy;
  /** Who made the violating change, and how that is known. */
  actor?: string;
  actorSource?: 'event' | 'lookup';
  eventName?: string;
  eventId?: string;
  /** The latest outcome seen while the window was open. */
  outcome: Outcome;
  violations: string[];
  updateId?: string;
  /** Blocked: what to fix before the guard can act. */
  fix?: string;
  /** The policy the latest record of the window decided under: its digest and SSM parameter version. */
  policyDigest?: string;
  policyParameterVersion?: number;
  correlationId: string;
}

export type WindowStartSource = 'event' | 'lookup' | 'first-seen' | 'cluster-created';

const OPENING: ReadonlySet<Outcome> = new Set([
  'remediated',
  'would-remediate',
  'blocked',
  'deferred',
  'failed',
]);
/** Windows closed this way measure how fast the exposure was fixed. */
export const REMEDIATING: ReadonlySet<ClosedBy> = new Set(['update-successful', 'remediated', 'compliant']);

/** Oldest first; records of the same millisecond keep their order of writing (attempt, then id). */
export function chronological(records: readonly CheckResult[]): CheckResult[] {
  return [...records].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.attempt - b.attempt);
}

/** True when a record shows the cluster non-compliant and not exempt. */
export function isViolation(record: CheckResult): boolean {
  return OPENING.has(record.outcome) && (record.violations?.length ?? 0) > 0;
}

/** The guard's follow-up saw its update succeed. */
export function isUpdateSuccess(record: CheckResult): boolean {
  return record.outcome === 'remediated' && record.updateStatus === 'Successful';
}

/** A remediation with no update to follow (the emulator returns none): taken as done when issued. */
function isUnfollowedRemediation(record: CheckResult): boolean {
  return record.outcome === 'remediated' && !record.updateId && !record.updateStatus;
}

/** "cluster not found": the decision records no configuration and no ARN. */
function isGone(record: CheckResult): boolean {
  return (
    record.outcome === 'ignored' &&
    !record.before &&
    !record.clusterArn &&
    !record.trigger.byGuard &&
    !record.policy
  );
}

/** When the violating change happened, if a CloudTrail event says so and it is plausible. */
function changeTime(record: CheckResult): { time: number; source: 'event' | 'lookup' } | undefined {
  const { trigger } = record;
  const source =
    trigger.actorSource === 'lookup' ? 'lookup' : trigger.source === 'event' ? 'event' : undefined;
  if (!source || !trigger.eventTime) return undefined;
  const time = Date.parse(trigger.eventTime);
  if (Number.isNaN(time) || time > Date.parse(record.time)) return undefined;
  return { time, source };
}

/**
 * The exposure windows of one cluster from its records (any order). Windows never overlap: a
 * window starts no earlier than the last moment the cluster was known compliant (a compliant
 * record, an update that succeeded, the end of the previous window).
 */
export function exposureWindows(records: readonly CheckResult[]): ExposureWindow[] {
  const windows: ExposureWindow[] = [];
  let open: ExposureWindow | undefined;
  let knownGood = Number.NEGATIVE_INFINITY;
  let createdAt: number | undefined;

  const close = (at: number, by: ClosedBy) => {
    if (open) {
      const end = Math.max(at, Date.parse(open.start));
      open.end = new Date(end).toISOString();
      open.closedBy = by;
      windows.push(open);
      open = undefined;
    }
    knownGood = Math.max(knownGood, at);
  };

  for (const record of chronological(records)) {
    const at = Date.parse(record.time);
    if (Number.isNaN(at)) continue;
    const created = record.clusterCreatedAt ? Date.parse(record.clusterCreatedAt) : Number.NaN;
    // A later creation time is a new cluster of the same name; one after the record itself is not true.
    if (!Number.isNaN(created) && created <= at && (createdAt === undefined || created > createdAt))
      createdAt = created;
    if (isViolation(record)) {
      if (!open) {
        const { start, startSource } = windowStart(record, at, knownGood, createdAt);
        const actor = record.trigger.byGuard ? undefined : record.trigger.actorArn;
        open = {
          cluster: record.cluster,
          region: record.region,
          ...(record.account ? { account: record.account } : {}),
          start: new Date(start).toISOString(),
          startSource,
          ...(createdAt !== undefined ? { clusterCreatedAt: new Date(createdAt).toISOString() } : {}),
          firstSeen: record.time,
          ...(actor
            ? { actor, actorSource: record.trigger.actorSource === 'lookup' ? 'lookup' : 'event' }
            : {}),
          ...(record.trigger.eventName ? { eventName: record.trigger.eventName } : {}),
          ...(record.trigger.eventId ? { eventId: record.trigger.eventId } : {}),
          outcome: record.outcome,
          violations: [],
          correlationId: record.correlationId,
        };
      }
      open.outcome = record.outcome;
      for (const v of record.violations ?? [])
        if (!open.violations.includes(v.reason)) open.violations.push(v.reason);
      if (record.updateId) open.updateId = record.updateId;
      if (record.fix) open.fix = record.fix;
      if (record.policy?.digest) {
        open.policyDigest = record.policy.digest;
        if (record.policy.policyParameterVersion !== undefined)
          open.policyParameterVersion = record.policy.policyParameterVersion;
        else delete open.policyParameterVersion;
      }
      if (!open.actor && record.trigger.actorArn && !record.trigger.byGuard) {
        open.actor = record.trigger.actorArn;
        open.actorSource = record.trigger.actorSource === 'lookup' ? 'lookup' : 'event';
      }
      if (isUnfollowedRemediation(record)) close(at, 'remediated');
      continue;
    }
    if (isUpdateSuccess(record)) close(at, 'update-successful');
    else if (record.outcome === 'compliant') close(at, 'compliant');
    else if (record.outcome === 'exempt') close(at, 'exempt');
    else if (isGone(record)) close(at, 'deleted');
  }
  if (open) windows.push(open);
  return windows;
}

/**
 * Where a window opened by `record` (seen at `at`) starts: the change's time when it is plausible;
 * never before the last known-compliant moment (an older change cannot be the cause: first seen,
 * then) nor before the cluster existed (a replayed or sample event: the cluster's creation).
 */
function windowStart(
  record: CheckResult,
  at: number,
  knownGood: number,
  createdAt: number | undefined,
): { start: number; startSource: WindowStartSource } {
  const change = changeTime(record);
  if (!change || change.time < knownGood) return { start: at, startSource: 'first-seen' };
  // Here knownGood <= change.time < createdAt: the creation is the latest lower bound.
  if (createdAt !== undefined && change.time < createdAt)
    return { start: createdAt, startSource: 'cluster-created' };
  return { start: change.time, startSource: change.source };
}

/** Seconds of a window inside [since, until): an open window runs to `until`. */
export function exposedWithin(window: ExposureWindow, since: Date, until: Date): number {
  const start = Math.max(Date.parse(window.start), since.getTime());
  const end = Math.min(window.end ? Date.parse(window.end) : until.getTime(), until.getTime());
  return Math.max(0, Math.floor((end - start) / 1000));
}

/** Whether any part of the window lies in [since, until). */
export function overlaps(window: ExposureWindow, since: Date, until: Date): boolean {
  const start = Date.parse(window.start);
  const end = window.end ? Date.parse(window.end) : Number.POSITIVE_INFINITY;
  return start < until.getTime() && (end > since.getTime() || (end === start && end >= since.getTime()));
}

/** Seconds from the change to the fix, for windows that were fixed. */
export function timeToRemediate(window: ExposureWindow): number | undefined {
  if (!window.end || !window.closedBy || !REMEDIATING.has(window.closedBy)) return undefined;
  return Math.max(0, Math.floor((Date.parse(window.end) - Date.parse(window.start)) / 1000));
}

/** Nearest-rank percentile (p in 0..100) of the values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
