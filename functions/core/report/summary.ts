import { matchesGlob } from '../effective';
import type { CheckResult } from '../result';
import { policiesInForce, sweepEvidence } from './checking';
import { clientsCutOffIn } from './clients';
import { type ClusterReport, clusterReport, type PolicyVersionAuthor, ttr } from './cluster';
import { controlEvidence } from './controls';
import type { CheckedMarker, SweepSummary } from './evidence';
import type { AccountReport, GuardIdentity } from './types';
import type { ReportVerification } from './verification';

export type { PolicyInForce, SweepEvidence, SweepGap } from './checking';
export type {
  ClusterReport,
  PolicyVersionAuthor,
  ReportActor,
  ReportExemption,
  ReportWindow,
  TimeToRemediate,
} from './cluster';
export type { AccountReport, ControlEvidence, ControlFigure, GuardIdentity, ReportPeriod } from './types';

export interface ReportInput {
  period: { since: Date; until: Date };
  now: Date;
  region: string;
  /** Every decision record read, including those before the period (to find windows already open). */
  records: readonly CheckResult[];
  sweeps: readonly SweepSummary[];
  markers: readonly CheckedMarker[];
  sweepIntervalSeconds: number;
  cluster?: string;
  account?: string;
  guard?: GuardIdentity;
  /**
   * The earliest evidence of the guard in the account-region the caller knows of (its first sweep
   * summary, say); the earliest record read counts too.
   */
  coverageStart?: Date;
  verification?: ReportVerification;
  /** The policy parameter's history, to name who published the version that granted an exemption. */
  policyVersions?: readonly PolicyVersionAuthor[];
}

export const NOT_VERIFIED: ReportVerification = {
  status: 'not-verified',
  reason: 'no digest bucket was given (DIGEST_BUCKET_NAME): the records were not checked against digests',
};

/** The auditor's report (DESIGN §11, §16), from what the audit table holds. Pure. */
export function buildReport(input: ReportInput): AccountReport {
  const since = input.period.since;
  const until = new Date(Math.min(input.period.until.getTime(), input.now.getTime()));
  const keep = (c: { cluster: string; account?: string }) =>
    c.cluster !== '-' &&
    (!input.cluster || matchesGlob(c.cluster, input.cluster)) &&
    (!input.account || c.account === input.account);
  const ofAccount = (c: { account?: string }) => !input.account || c.account === input.account;

  const byCluster = new Map<string, CheckResult[]>();
  for (const record of input.records) {
    if (!keep(record)) continue;
    const key = `${record.region}\u0000${record.cluster}`;
    byCluster.set(key, [...(byCluster.get(key) ?? []), record]);
  }
  const markers = new Map(input.markers.filter(keep).map((m) => [`${m.region}\u0000${m.cluster}`, m]));
  for (const key of markers.keys()) if (!byCluster.has(key)) byCluster.set(key, []);

  const here = input.records.filter((r) => r.region === input.region && ofAccount(r));
  const coverageStart = earliest([
    input.coverageStart?.getTime(),
    ...here.map((r) => Date.parse(r.time)),
    ...here.map(listenedAt),
    ...input.sweeps
      .filter((s) => s.region === input.region && ofAccount(s))
      .map((s) => Date.parse(s.startedAt)),
  ]);
  const context = {
    since,
    until,
    ...(coverageStart !== undefined ? { coverageStart } : {}),
    policyVersions: input.policyVersions ?? [],
  };
  const clusters: ClusterReport[] = [];
  for (const [key, records] of byCluster) {
    const report = clusterReport(records, markers.get(key), context);
    if (report) clusters.push(report);
  }
  // The clusters with exposure first, most exposed first.
  clusters.sort((a, b) => b.exposedSeconds - a.exposedSeconds || a.cluster.localeCompare(b.cluster));

  const windows = clusters.flatMap((c) => c.windows);
  const inPeriod = (iso: string | undefined) =>
    iso !== undefined && Date.parse(iso) >= since.getTime() && Date.parse(iso) < until.getTime();
  const periodRecords = input.records.filter((r) => keep(r) && inPeriod(r.time));
  const open = windows.filter((w) => w.openAtPeriodEnd).length;
  const early = windows.filter((w) => w.beforeCoverage);

  const report: Omit<AccountReport, 'controls'> = {
    period: {
      since: since.toISOString(),
      until: input.period.until.toISOString(),
      generatedAt: input.now.toISOString(),
    },
    region: input.region,
    regions: [...new Set([input.region, ...clusters.map((c) => c.region)])].sort(),
    accounts: [
      ...new Set(
        [input.account, ...clusters.map((c) => c.account), ...input.sweeps.map((s) => s.account)].filter(
          (a): a is string => !!a && ofAccount({ account: a }),
        ),
      ),
    ].sort(),
    ...(input.account ? { account: input.account } : {}),
    guard: input.guard ?? { version: 'unknown' },
    ...(input.cluster ? { clusterFilter: input.cluster } : {}),
    coverage: coverageStart !== undefined ? { since: new Date(coverageStart).toISOString() } : {},
    clustersGuarded: clusters.length,
    clustersExposed: clusters.filter((c) => c.windows.length > 0).length,
    windows: {
      openAtStart: windows.filter((w) => w.startedBeforePeriod).length,
      opened: windows.filter((w) => !w.startedBeforePeriod).length,
      // Every window that overlaps the period either ends in it or is still open at its end.
      closed: windows.length - open,
      open,
    },
    exposedSeconds: clusters.reduce((sum, c) => sum + c.exposedSeconds, 0),
    timeToRemediate: ttr(windows.map((w) => w.timeToRemediateSeconds)),
    beforeCoverage: {
      windows: early.length,
      fixedAfterCoverage: ttr(early.map((w) => w.fixedSecondsAfterCoverage)),
    },
    clusters,
    sweeps: sweepEvidence(input, since, until),
    policies: policiesInForce(
      periodRecords,
      input.sweeps.filter(
        (s) =>
          s.region === input.region &&
          inPeriod(s.startedAt) &&
          (!input.account || !s.account || s.account === input.account),
      ),
    ),
    verification: input.verification ?? NOT_VERIFIED,
    clientsCutOff: clientsCutOffIn(input.records, since, until, input),
  };
  return { ...report, controls: controlEvidence(report) };
}

/** EventBridge gives up on an event after this long (the rules' maximum event age): see listenedAt. */
const MAX_EVENT_AGE_MS = 2 * 3600_000;

/**
 * When a record proves the guard was already listening: the time of the CloudTrail event it was
 * triggered by, since EventBridge delivers an event only to the rules that exist when it happens,
 * and no later than its maximum event age. A replayed or sample event (older than that, or older
 * than the cluster) proves nothing.
 */
function listenedAt(record: CheckResult): number | undefined {
  const { trigger } = record;
  if (trigger.source !== 'event' || trigger.actorSource === 'lookup' || !trigger.eventTime) return undefined;
  const event = Date.parse(trigger.eventTime);
  const at = Date.parse(record.time);
  if (Number.isNaN(event) || event > at || at - event > MAX_EVENT_AGE_MS) return undefined;
  if (record.clusterCreatedAt && event < Date.parse(record.clusterCreatedAt)) return undefined;
  return event;
}

function earliest(times: readonly (number | undefined)[]): number | undefined {
  let first: number | undefined;
  for (const t of times)
    if (t !== undefined && !Number.isNaN(t) && (first === undefined || t < first)) first = t;
  return first;
}
