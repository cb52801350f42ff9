import type { ActiveExemption } from '../effective';
import type { Outcome } from '../outcome';
import type { CheckResult } from '../result';
import type { CheckedMarker } from './evidence';
import {
  chronological,
  type ExposureWindow,
  exposedWithin,
  exposureWindows,
  overlaps,
  percentile,
  timeToRemediate,
} from './windows';

/** One window as the report shows it: clipped to the period, and placed against the guard's coverage. */
export interface ReportWindow extends ExposureWindow {
  /** Seconds inside the period. */
  exposedSeconds: number;
  /** Change to fix, for a window fixed inside the guard's coverage. */
  timeToRemediateSeconds?: number;
  /** The change happened before the guard's first record in the account-region. */
  beforeCoverage: boolean;
  /** A window that began before coverage and was fixed: start of coverage to fix. */
  fixedSecondsAfterCoverage?: number;
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
  /** Who granted it, where known: the tagger (a TagResource event) or who published the policy version. */
  grantedBy?: { arn: string; how: string };
}

export interface ClusterReport {
  cluster: string;
  region: string;
  account?: string;
  clusterCreatedAt?: string;
  exposedSeconds: number;
  windows: ReportWindow[];
  /** Of the windows fixed inside the guard's coverage. */
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

/** Who published each SSM parameter version (its history), to name who granted a policy exemption. */
export interface PolicyVersionAuthor {
  version: number;
  modifiedBy?: string;
}

export interface ClusterContext {
  since: Date;
  until: Date;
  /** The guard's first record in the account-region; unknown: every window counts as inside. */
  coverageStart?: number;
  policyVersions: readonly PolicyVersionAuthor[];
}

export function clusterReport(
  records: CheckResult[],
  marker: CheckedMarker | undefined,
  context: ClusterContext,
): ClusterReport | undefined {
  const { since, until } = context;
  const first = records[0] ?? marker;
  if (!first) return undefined;
  const ordered = chronological(records);
  const coverage = context.coverageStart ?? Number.NEGATIVE_INFINITY;
  const windows: ReportWindow[] = exposureWindows(ordered)
    .filter((w) => overlaps(w, since, until))
    .map((w) => {
      const fixed = timeToRemediate(w);
      const fixedInPeriod = fixed !== undefined && w.end !== undefined && Date.parse(w.end) < until.getTime();
      const beforeCoverage = Date.parse(w.start) < coverage;
      return {
        ...w,
        exposedSeconds: exposedWithin(w, since, until),
        ...(fixedInPeriod && !beforeCoverage ? { timeToRemediateSeconds: fixed } : {}),
        beforeCoverage,
        ...(fixedInPeriod && beforeCoverage && w.end
          ? { fixedSecondsAfterCoverage: Math.max(0, Math.floor((Date.parse(w.end) - coverage) / 1000)) }
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
  const createdAt = ordered
    .map((r) => r.clusterCreatedAt)
    .filter((t): t is string => !!t)
    .at(-1);
  return {
    cluster: first.cluster,
    region: first.region,
    ...(first.account ? { account: first.account } : {}),
    ...(createdAt ? { clusterCreatedAt: createdAt } : {}),
    exposedSeconds: windows.reduce((sum, w) => sum + w.exposedSeconds, 0),
    windows,
    timeToRemediate: ttr(windows.map((w) => w.timeToRemediateSeconds)),
    actors: actorsOf(windows),
    exemptions: exemptionsOf(inPeriod, context.policyVersions),
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

/** Nearest-rank p50 and p95 of the values that are defined. */
export function ttr(seconds: readonly (number | undefined)[]): TimeToRemediate {
  const values = seconds.filter((v): v is number => v !== undefined);
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

function exemptionsOf(
  records: readonly CheckResult[],
  policyVersions: readonly PolicyVersionAuthor[],
): ReportExemption[] {
  const found = new Map<string, ReportExemption>();
  for (const r of records) {
    if (!r.exemption) continue;
    const key = `${r.exemption.source}\u0000${r.exemption.reason}\u0000${r.exemption.expires ?? ''}`;
    const known = found.get(key) ?? { ...r.exemption, firstSeen: r.time, lastSeen: r.time };
    known.lastSeen = r.time;
    known.grantedBy ??= grantedBy(r, policyVersions);
    if (!known.grantedBy) delete known.grantedBy;
    found.set(key, known);
  }
  return [...found.values()];
}

function grantedBy(
  record: CheckResult,
  policyVersions: readonly PolicyVersionAuthor[],
): ReportExemption['grantedBy'] {
  const { trigger } = record;
  if (record.exemption?.source === 'tag') {
    return trigger.eventName === 'TagResource' && trigger.actorArn && !trigger.byGuard
      ? { arn: trigger.actorArn, how: 'tagged the cluster' }
      : undefined;
  }
  const version = record.policy?.policyParameterVersion;
  const author = policyVersions.find((v) => v.version === version)?.modifiedBy;
  return author && version !== undefined
    ? { arn: author, how: `published policy version ${version}` }
    : undefined;
}
