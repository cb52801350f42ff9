import type { ActiveExemption } from '../effective';
import { matchesGlob } from '../effective';
import type { Outcome } from '../outcome';
import type { CheckResult } from '../result';
import { type PolicyInForce, policiesInForce, type SweepEvidence, sweepEvidence } from './checking';
import { clientsCutOffIn, type ReportCutOff } from './clients';
import type { CheckedMarker, SweepSummary } from './evidence';
import {
  chronological,
  type ExposureWindow,
  exposedWithin,
  exposureWindows,
  overlaps,
  percentile,
  timeToRemediate,
} from './windows';

export type { PolicyInForce, SweepEvidence, SweepGap } from './checking';

export interface ReportPeriod {
  /** ISO, inclusive. */
  since: string;
  /** ISO, exclusive. */
  until: string;
  /** ISO time the report was made; an open window is counted up to min(until, generatedAt). */
  generatedAt: string;
}

export interface ReportWindow extends ExposureWindow {
  /** Seconds inside the period. */
  exposedSeconds: number;
  /** Change to fix, for a fixed window. */
  timeToRemediateSeconds?: number;
  startedBeforePeriod: boolean;
  openAtPeriodEnd: boolean;
}

export interface TimeToRemediate {
  count: number;
  p50Seconds?: number;
  p95Seconds?: number;
}

export interface ReportActor {
  arn: string;
  source: 'event' | 'lookup';
  windows: number;
}

export interface ReportExemption extends ActiveExemption {
  firstSeen: string;
  lastSeen: string;
}

export interface ClusterReport {
  cluster: string;
  region: string;
  account?: string;
  exposedSeconds: number;
  windows: ReportWindow[];
  timeToRemediate: TimeToRemediate;
  actors: ReportActor[];
  exemptions: ReportExemption[];
  /** Still exposed at the end of the period. */
  stillExposed: boolean;
  /** The lockout guard refused the fix and the cluster is still exposed: what to fix. */
  blocked?: { since: string; fix?: string };
  /** ISO time of the latest check known (record or marker). */
  lastChecked?: string;
  lastOutcome?: Outcome;
}

export interface AccountReport {
  period: ReportPeriod;
  region: string;
  account?: string;
  clusterFilter?: string;
  clustersGuarded: number;
  windows: { opened: number; closed: number; open: number };
  exposedSeconds: number;
  timeToRemediate: TimeToRemediate;
  clusters: ClusterReport[];
  sweeps: SweepEvidence;
  policies: PolicyInForce[];
  /** Whom the changes of the period cut off, from the clusters' audit logs (DESIGN §18). */
  clientsCutOff: ReportCutOff[];
}

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
}

/** The auditor's report (DESIGN §11), from what the audit table holds. Pure. */
export function buildReport(input: ReportInput): AccountReport {
  const since = input.period.since;
  const until = new Date(Math.min(input.period.until.getTime(), input.now.getTime()));
  const keep = (c: { cluster: string; account?: string }) =>
    c.cluster !== '-' &&
    (!input.cluster || matchesGlob(c.cluster, input.cluster)) &&
    (!input.account || c.account === input.account);

  const byCluster = new Map<string, CheckResult[]>();
  for (const record of input.records) {
    if (!keep(record)) continue;
    const key = `${record.region}\u0000${record.cluster}`;
    byCluster.set(key, [...(byCluster.get(key) ?? []), record]);
  }
  const markers = new Map(input.markers.filter(keep).map((m) => [`${m.region}\u0000${m.cluster}`, m]));
  for (const key of markers.keys()) if (!byCluster.has(key)) byCluster.set(key, []);

  const clusters: ClusterReport[] = [];
  for (const [key, records] of byCluster) {
    const report = clusterReport(records, markers.get(key), since, until);
    if (report) clusters.push(report);
  }
  clusters.sort((a, b) => b.exposedSeconds - a.exposedSeconds || a.cluster.localeCompare(b.cluster));

  const windows = clusters.flatMap((c) => c.windows);
  const inPeriod = (iso: string | undefined) =>
    iso !== undefined && Date.parse(iso) >= since.getTime() && Date.parse(iso) < until.getTime();
  const periodRecords = input.records.filter((r) => keep(r) && inPeriod(r.time));

  return {
    period: {
      since: since.toISOString(),
      until: input.period.until.toISOString(),
      generatedAt: input.now.toISOString(),
    },
    region: input.region,
    ...(input.account ? { account: input.account } : {}),
    ...(input.cluster ? { clusterFilter: input.cluster } : {}),
    clustersGuarded: clusters.length,
    windows: {
      opened: windows.filter((w) => !w.startedBeforePeriod).length,
      closed: windows.filter((w) => inPeriod(w.end)).length,
      open: windows.filter((w) => w.openAtPeriodEnd).length,
    },
    exposedSeconds: clusters.reduce((sum, c) => sum + c.exposedSeconds, 0),
    timeToRemediate: ttr(windows),
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
    clientsCutOff: clientsCutOffIn(input.records, since, until, input),
  };
}

function clusterReport(
  records: CheckResult[],
  marker: CheckedMarker | undefined,
  since: Date,
  until: Date,
): ClusterReport | undefined {
  const first = records[0] ?? marker;
  if (!first) return undefined;
  const ordered = chronological(records);
  const windows: ReportWindow[] = exposureWindows(ordered)
    .filter((w) => overlaps(w, since, until))
    .map((w) => {
      const fixed = timeToRemediate(w);
      return {
        ...w,
        exposedSeconds: exposedWithin(w, since, until),
        ...(fixed !== undefined && w.end && Date.parse(w.end) < until.getTime()
          ? { timeToRemediateSeconds: fixed }
          : {}),
        startedBeforePeriod: Date.parse(w.start) < since.getTime(),
        openAtPeriodEnd: !w.end || Date.parse(w.end) >= until.getTime(),
      };
    });
  const inPeriod = ordered.filter((r) => {
    const t = Date.parse(r.time);
    return t >= since.getTime() && t < until.getTime();
  });
  if (windows.length === 0 && inPeriod.length === 0 && !markerInPeriod(marker, since, until))
    return undefined;

  const last = windows.at(-1);
  const latest = ordered.filter((r) => Date.parse(r.time) < until.getTime()).at(-1);
  const lastChecked = [latest?.time, markerInPeriod(marker, since, until) ? marker?.time : undefined]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  const stillExposed = last?.openAtPeriodEnd ?? false;
  return {
    cluster: first.cluster,
    region: first.region,
    ...(first.account ? { account: first.account } : {}),
    exposedSeconds: windows.reduce((sum, w) => sum + w.exposedSeconds, 0),
    windows,
    timeToRemediate: ttr(windows),
    actors: actorsOf(windows),
    exemptions: exemptionsOf(inPeriod),
    stillExposed,
    ...(stillExposed && last?.outcome === 'blocked'
      ? { blocked: { since: last.start, ...(last.fix ? { fix: last.fix } : {}) } }
      : {}),
    ...(lastChecked ? { lastChecked } : {}),
    ...(lastChecked === marker?.time && marker
      ? { lastOutcome: marker.outcome }
      : latest
        ? { lastOutcome: latest.outcome }
        : {}),
  };
}

function markerInPeriod(marker: CheckedMarker | undefined, since: Date, until: Date): boolean {
  if (!marker) return false;
  const t = Date.parse(marker.time);
  return t >= since.getTime() && t < until.getTime();
}

function ttr(windows: readonly ReportWindow[]): TimeToRemediate {
  const values = windows.map((w) => w.timeToRemediateSeconds).filter((v): v is number => v !== undefined);
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  return {
    count: values.length,
    ...(p50 !== undefined ? { p50Seconds: p50 } : {}),
    ...(p95 !== undefined ? { p95Seconds: p95 } : {}),
  };
}

function actorsOf(windows: readonly ReportWindow[]): ReportActor[] {
  const actors = new Map<string, ReportActor>();
  for (const w of windows) {
    if (!w.actor) continue;
    const key = `${w.actor}\u0000${w.actorSource}`;
    const found = actors.get(key) ?? { arn: w.actor, source: w.actorSource ?? 'event', windows: 0 };
    found.windows += 1;
    actors.set(key, found);
  }
  return [...actors.values()].sort((a, b) => b.windows - a.windows || a.arn.localeCompare(b.arn));
}

function exemptionsOf(records: readonly CheckResult[]): ReportExemption[] {
  const found = new Map<string, ReportExemption>();
  for (const r of records) {
    if (!r.exemption) continue;
    const key = `${r.exemption.source}\u0000${r.exemption.reason}\u0000${r.exemption.expires ?? ''}`;
    const known = found.get(key);
    if (known) known.lastSeen = r.time;
    else found.set(key, { ...r.exemption, firstSeen: r.time, lastSeen: r.time });
  }
  return [...found.values()];
}
