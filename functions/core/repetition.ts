import { sameEndpointConfig } from './endpoint';
import type { CheckResult, Escalation } from './result';

/**
 * Whether `previous` (the cluster's last audit record) already told people about the same
 * situation: same outcome, same configuration seen, same policy. Alerts for exempt,
 * would-remediate and blocked go out on the first sighting only.
 */
export function isRepeatSighting(previous: CheckResult | undefined, current: CheckResult): boolean {
  if (!previous || previous.outcome !== current.outcome) return false;
  if (previous.policy?.digest !== current.policy?.digest) return false;
  if (!previous.before || !current.before) return false;
  return sameEndpointConfig(previous.before, current.before);
}

export interface FlipFlopRule {
  threshold: number;
  windowMinutes: number;
}

export interface FlipFlopFinding {
  escalation?: Escalation;
  /** True when people were already told about this actor's loop within the window: stay quiet. */
  alreadyEscalated: boolean;
}

/**
 * The flip-flop breaker: counts the times a cluster was made non-compliant in the window (history
 * is the cluster's recent audit records, any order): the guard's remediations and the grace periods
 * it started, including the one about to happen (`current`, its correlation id: a revert at the end
 * of a grace period is the same violation as its start, and counts once). At the threshold it
 * escalates, naming who keeps re-applying the setting. After an escalation alert, the same actor's
 * further remediations stay quiet (`silenced` escalations) for one window only: once that alert is
 * older than the window, a window that fills again escalates again. Only an alerted escalation
 * silences, never a silenced copy of one, and never a change by another actor.
 */
export function flipFlop(
  history: readonly CheckResult[],
  now: Date,
  rule: FlipFlopRule,
  currentActor: string | undefined,
  current?: string,
): FlipFlopFinding {
  const since = now.getTime() - rule.windowMinutes * 60_000;
  const recent = history.filter((r) => Date.parse(r.time) >= since);
  // One remediation can leave several records (issued, then followed): count decisions, not rows.
  const remediated = recent.filter((r) => r.outcome === 'remediated' && r.trigger.source !== 'recheck');
  const graceStarts = new Set(recent.filter(isGraceStart).map((r) => r.correlationId));
  const episodes = new Set([...remediated.map((r) => r.correlationId), ...graceStarts]);
  // The revert at the end of a grace period is the violation its start already counted.
  const count = episodes.size + (current !== undefined && graceStarts.has(current) ? 0 : 1);
  const told = recent.some(
    (r) => r.escalation !== undefined && !r.escalation.silenced && r.escalation.actorArn === currentActor,
  );
  if (told) {
    return {
      alreadyEscalated: true,
      escalation: {
        ...(currentActor ? { actorArn: currentActor } : {}),
        remediations: count,
        windowMinutes: rule.windowMinutes,
        silenced: true,
      },
    };
  }
  if (count < rule.threshold) return { alreadyEscalated: false };
  const actors = [currentActor, ...remediated.map((r) => r.trigger.actorArn)].filter(
    (a): a is string => a !== undefined,
  );
  const actorArn = mostFrequent(actors);
  return {
    alreadyEscalated: false,
    escalation: { ...(actorArn ? { actorArn } : {}), remediations: count, windowMinutes: rule.windowMinutes },
  };
}

/** The record of a grace period's start: deferred, and its period begins at its own time. */
function isGraceStart(record: CheckResult): boolean {
  if (record.outcome !== 'deferred' || record.graceSince === undefined) return false;
  return Date.parse(record.graceSince) === Date.parse(record.time);
}

function mostFrequent(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}
