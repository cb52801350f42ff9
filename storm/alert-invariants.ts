import { type EndpointConfig, sameEndpointConfig } from '../functions/core/endpoint';
import { decisionKey, type Evidence, type InvariantResult, result } from './invariant-base';

/** The invariants about the alerts a subscriber received (docs/STORM.md). Pure. */

const storyKey = (a: { cluster?: unknown; correlationId?: unknown; outcome?: unknown; status?: unknown }) =>
  `${String(a.cluster)} ${String(a.correlationId)} ${String(a.outcome)} ${String(a.status ?? 'open')}`;

/**
 * Every alert a subscriber received belongs to a trigger the audit table recorded. A decision that
 * changes nothing, killed between its alert and its record, is decided again by the retry of its
 * trigger, which records it (with another outcome if the cluster changed meanwhile): counted in the
 * note, not as broken. A remediation's record never depends on that (its record of intent).
 */
export function alertsRecorded(e: Evidence): InvariantResult {
  const triggers = new Set(e.records.map((r) => `${r.cluster} ${r.correlationId}`));
  const stories = new Set(e.records.map((r) => storyKey({ ...r, status: 'open' })));
  const open = e.alerts.filter((a) => a.status !== 'resolved');
  const recorded = (a: Record<string, unknown>) =>
    triggers.has(`${String(a.cluster)} ${String(a.correlationId)}`);
  // A sweep's check is `sweep-<event id>/<cluster>`: its trigger is the schedule's event.
  const deadLettered = (a: Record<string, unknown>) =>
    e.failedEvents.has(
      String(a.correlationId)
        .replace(/^sweep-/, '')
        .replace(/\/.*$/, ''),
    );
  const problems = open
    .filter((a) => !recorded(a) && !deadLettered(a))
    .map((a) => `${String(a.cluster)}: ${String(a.outcome)} alert of ${decisionKey(a)} has no record`);
  const redecided = open.filter((a) => recorded(a) && !stories.has(storyKey(a))).length;
  const unfinished = open.filter((a) => !recorded(a) && deadLettered(a)).length;
  return {
    ...result('every alert belongs to a recorded decision', e.alerts.length, problems),
    note: `${redecided} whose trigger was recorded with another outcome after a crash between alert and record, ${unfinished} whose trigger failed every retry and is in the dead-letter queue`,
  };
}

/**
 * At most one alert per violation episode, plus one `resolved`: the same situation (outcome,
 * configuration, policy) is never alerted again by another decision while the cluster's records
 * show nothing new in between, and two `resolved` alerts never follow each other.
 */
export function alertsPerEpisode(e: Evidence): InvariantResult {
  const problems: string[] = [];
  const byCluster = new Map<string, Record<string, unknown>[]>();
  const seen = new Set<string>();
  let again = 0;
  for (const alert of e.alerts) {
    const key = storyKey(alert);
    if (seen.has(key)) {
      again += 1; // the same story published again (see storyKey)
      continue;
    }
    seen.add(key);
    const list = byCluster.get(String(alert.cluster)) ?? [];
    list.push(alert);
    byCluster.set(String(alert.cluster), list);
  }
  for (const [cluster, alerts] of byCluster) {
    alerts.sort((a, b) => String(a.time).localeCompare(String(b.time)));
    for (let i = 1; i < alerts.length; i++) {
      const a = alerts[i - 1] as Record<string, unknown>;
      const b = alerts[i] as Record<string, unknown>;
      if (a.status === 'resolved' && b.status === 'resolved') {
        problems.push(`${cluster}: two resolved alerts in a row (${decisionKey(a)}, ${decisionKey(b)})`);
      } else if (
        a.status !== 'resolved' &&
        b.status !== 'resolved' &&
        a.outcome !== 'remediated' &&
        sameSituation(a, b)
      ) {
        const between = e.records.filter(
          (r) => r.cluster === cluster && r.time > String(a.time) && r.time < String(b.time),
        );
        const changed = between.some((r) => !sameSituation(a, { ...r }));
        if (!changed)
          problems.push(
            `${cluster}: ${String(a.outcome)} alerted twice for one situation (${decisionKey(a)}, ${decisionKey(b)})`,
          );
      }
    }
  }
  return {
    ...result('at most one alert per violation episode, plus one resolved', seen.size, problems),
    note: `${again} published again for the same story (at-least-once delivery, a retry after a crash)`,
  };
}

/** Same outcome, configuration, policy and exemption story: what the guard's first-sighting rule compares. */
function sameSituation(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const digest = (x: Record<string, unknown>) => (x.policy as { digest?: string } | undefined)?.digest;
  const before = (x: Record<string, unknown>) => x.before as EndpointConfig | undefined;
  const exemption = (x: Record<string, unknown>) => {
    const ex = x.exemption as { source?: string; reason?: string; expires?: string } | undefined;
    return ex ? `${ex.source} ${ex.reason} ${ex.expires}` : '';
  };
  const [x, y] = [before(a), before(b)];
  return (
    a.outcome === b.outcome &&
    digest(a) === digest(b) &&
    exemption(a) === exemption(b) &&
    x !== undefined &&
    y !== undefined &&
    sameEndpointConfig(x, y)
  );
}

/**
 * Throttling storms, 5xx, timeouts and crashes put decisions off, never fail them: a `failed`
 * record is a fault people must act on (an invalid policy, a rejected update, a deadline passed
 * while the cluster stayed busy), and the storm causes none of those.
 */
