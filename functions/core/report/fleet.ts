import type { AccountReport } from './types';

/** One step of the fleet chart: from `at` (ms) on, `exposed` clusters were exposed. */
export interface FleetStep {
  at: number;
  exposed: number;
}

/**
 * How many clusters were exposed at each moment of the period: a step function over every window,
 * clipped to the period (an open window runs to the period's end). The first step is at the
 * period's start; a cluster with two windows at once cannot occur (windows never overlap per cluster).
 */
export function fleetExposure(report: AccountReport): { since: number; end: number; steps: FleetStep[] } {
  const since = Date.parse(report.period.since);
  const end = Math.min(Date.parse(report.period.until), Date.parse(report.period.generatedAt));
  const changes = new Map<number, number>();
  const add = (at: number, delta: number) => changes.set(at, (changes.get(at) ?? 0) + delta);
  for (const cluster of report.clusters) {
    for (const w of cluster.windows) {
      const from = Math.max(Date.parse(w.start), since);
      const to = Math.min(w.end ? Date.parse(w.end) : end, end);
      if (to <= from) continue;
      add(from, 1);
      add(to, -1);
    }
  }
  const steps: FleetStep[] = [{ at: since, exposed: 0 }];
  let exposed = 0;
  for (const at of [...changes.keys()].sort((a, b) => a - b)) {
    exposed += changes.get(at) ?? 0;
    const last = steps.at(-1);
    if (last && last.at === at) last.exposed = exposed;
    else steps.push({ at, exposed });
  }
  return { since, end, steps };
}

/** The most clusters exposed at once in the period. */
export function peakExposure(steps: readonly FleetStep[]): number {
  return steps.reduce((max, s) => Math.max(max, s.exposed), 0);
}
