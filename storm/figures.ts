import type { Gathered } from './evidence';
import type { InvariantResult } from './invariant-base';
import type { StormOptions } from './options';
import type { StormPlan } from './plan';
import type { Rig } from './rig';
import { type Action, tally } from './workload';

/** What a storm did and what it found: printed, and (full runs) written to docs/STORM.md. */
export interface StormRun {
  options: StormOptions;
  plan: StormPlan;
  invariants: InvariantResult[];
  converged: { ok: number; of: number };
  figures: StormFigures;
}

export interface StormFigures {
  /** Distinct events delivered to the function: CloudTrail and schedule events, and recheck queue messages. */
  events: number;
  cloudTrailEvents: number;
  sweeps: number;
  queueMessages: number;
  /** Deliveries of asynchronous events beyond the first copy (duplicates) and retries after a failure. */
  duplicateDeliveries: number;
  retries: number;
  invocations: number;
  /** Faults the proxy injected, by kind and by `service:kind`. */
  faults: Record<string, number>;
  faultCount: number;
  /** Workers killed, by why. */
  crashes: Record<string, number>;
  crashCount: number;
  coldStarts: number;
  guardUpdates: number;
  personUpdates: number;
  resourceInUse: number;
  alreadyAtTarget: number;
  decisions: number;
  alerts: number;
  actions: Record<Action['kind'], number>;
  deadLettered: { events: number; messages: number };
  stormSeconds: number;
  quietSeconds: number;
  totalSeconds: number;
  /** Invocations and recorded decisions per second over the storm and the quiet. */
  invocationsPerSecond: number;
  decisionsPerSecond: number;
}

const FAULT_KINDS = ['throttle', 'server-error', 'reset', 'lost-response', 'timeout'];

function sorted(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
}

export function figuresOf(
  rig: Rig,
  gathered: Gathered,
  seconds: { storm: number; quiet: number; total: number },
): StormFigures {
  const { invoker, queue, proxy, workers, model } = rig;
  const events = [...invoker.ledger.values()];
  const faults = sorted(proxy.stats.faults);
  const busy = seconds.storm + seconds.quiet;
  return {
    events: invoker.ledger.size + queue.ledger.handled.size,
    cloudTrailEvents: events.filter((e) => e.kind === 'cloudtrail').length,
    sweeps: events.filter((e) => e.kind === 'schedule').length,
    queueMessages: gathered.evidence.sentMessages.size,
    duplicateDeliveries: events.reduce((sum, e) => sum + e.copies - 1, 0),
    retries: events.reduce((sum, e) => sum + Math.max(0, e.attempts - e.copies), 0),
    invocations: workers.invocations,
    faults,
    faultCount: FAULT_KINDS.reduce((sum, kind) => sum + (faults[kind] ?? 0), 0),
    crashes: sorted(workers.kills),
    crashCount: [...workers.kills.values()].reduce((a, b) => a + b, 0),
    coldStarts: workers.coldStarts,
    guardUpdates: model.updates.filter((u) => u.by === 'guard').length,
    personUpdates: model.updates.filter((u) => u.by === 'person').length,
    resourceInUse: proxy.eks.inUse,
    alreadyAtTarget: proxy.eks.alreadyAtTarget,
    decisions: gathered.evidence.records.length,
    alerts: gathered.evidence.alerts.length,
    actions: tally(rig.actions),
    deadLettered: gathered.deadLettered,
    stormSeconds: seconds.storm,
    quietSeconds: seconds.quiet,
    totalSeconds: seconds.total,
    invocationsPerSecond: workers.invocations / busy,
    decisionsPerSecond: gathered.evidence.records.length / busy,
  };
}
