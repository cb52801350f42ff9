import type { CheckResult } from '../result';
import type { SweepSummary } from './evidence';
import { chronological } from './windows';

/** The account's proof of continuous checking: the sweeps that ran, gaps between them, policies in force. */
export interface SweepGap {
  from: string;
  to: string;
  seconds: number;
}

export interface SweepEvidence {
  count: number;
  last?: string;
  intervalSeconds: number;
  /**
   * Gaps longer than twice the interval (including from the period start and to its end); with no
   * sweep at all in the period, the whole period is one gap, however short.
   */
  gaps: SweepGap[];
  /** Sweeps known only from their decision records (written before sweep summaries existed). */
  fromRecords: number;
  clustersChecked: number;
}

/** A policy decisions were taken under: its text's digest and the SSM parameter version it was read from. */
export interface PolicyInForce {
  digest: string;
  /** Absent when the records predate it being recorded (or a sweep summary named only the digest). */
  policyParameterVersion?: number;
  firstSeen: string;
  lastSeen: string;
}

/** What the sweep evidence is computed from. */
export interface CheckingInput {
  region: string;
  account?: string;
  records: readonly CheckResult[];
  sweeps: readonly SweepSummary[];
  sweepIntervalSeconds: number;
}

export function sweepEvidence(input: CheckingInput, since: Date, until: Date): SweepEvidence {
  const inPeriod = (iso: string) => Date.parse(iso) >= since.getTime() && Date.parse(iso) < until.getTime();
  const times = new Map<string, { time: number; clusters: number; fromRecords: boolean }>();
  for (const s of input.sweeps) {
    if (s.region !== input.region || !inPeriod(s.startedAt)) continue;
    if (input.account && s.account && s.account !== input.account) continue;
    times.set(s.sweepId, { time: Date.parse(s.startedAt), clusters: s.clustersChecked, fromRecords: false });
  }
  // Before sweep summaries, each sweep left a record per cluster: `<sweepId>/<cluster>`.
  for (const r of input.records) {
    if (r.trigger.source !== 'sweep' || r.region !== input.region || !inPeriod(r.time)) continue;
    const sweepId = r.correlationId.split('/')[0] ?? r.correlationId;
    const known = times.get(sweepId);
    if (known && !known.fromRecords) continue;
    const time = Date.parse(r.time);
    times.set(sweepId, {
      time: Math.min(known?.time ?? time, time),
      clusters: (known?.clusters ?? 0) + 1,
      fromRecords: true,
    });
  }
  const sorted = [...times.values()].sort((a, b) => a.time - b.time);
  const limit = 2 * input.sweepIntervalSeconds * 1000;
  const points = [since.getTime(), ...sorted.map((s) => s.time), until.getTime()];
  const gaps: SweepGap[] = [];
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1] ?? 0;
    const to = points[i] ?? 0;
    // No sweep at all: the period is unchecked by a sweep however short it is.
    if (to - from > limit || (sorted.length === 0 && to > from)) {
      gaps.push({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        seconds: Math.floor((to - from) / 1000),
      });
    }
  }
  const last = sorted.at(-1);
  return {
    count: sorted.length,
    ...(last ? { last: new Date(last.time).toISOString() } : {}),
    intervalSeconds: input.sweepIntervalSeconds,
    gaps,
    fromRecords: sorted.filter((s) => s.fromRecords).length,
    clustersChecked: sorted.reduce((sum, s) => sum + s.clusters, 0),
  };
}

/**
 * The policies decisions were taken under, first and last seen: from the records and, since
 * unchanged checks leave no record, from the sweep summaries. Each is named by its digest and the
 * SSM parameter version it was read from (never by the policy document's schema version).
 */
export function policiesInForce(
  records: readonly CheckResult[],
  sweeps: readonly SweepSummary[] = [],
): PolicyInForce[] {
  const found = new Map<string, PolicyInForce>();
  const seen = (digest: string, version: number | undefined, time: string) => {
    const key = `${digest}\u0000${version ?? ''}`;
    const known = found.get(key);
    if (!known) {
      found.set(key, {
        digest,
        ...(version !== undefined ? { policyParameterVersion: version } : {}),
        firstSeen: time,
        lastSeen: time,
      });
      return;
    }
    if (time < known.firstSeen) known.firstSeen = time;
    if (time > known.lastSeen) known.lastSeen = time;
  };
  for (const r of chronological(records))
    if (r.policy) seen(r.policy.digest, r.policy.policyParameterVersion, r.time);
  for (const s of sweeps) {
    for (const digest of s.policyDigests ?? [])
      seen(digest, s.policyParameterVersions?.[digest], s.startedAt);
  }
  // A digest known with its version does not also need a line without one.
  const versioned = new Set(
    [...found.values()].filter((p) => p.policyParameterVersion !== undefined).map((p) => p.digest),
  );
  return [...found.values()]
    .filter((p) => p.policyParameterVersion !== undefined || !versioned.has(p.digest))
    .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
}
