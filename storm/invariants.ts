import { effectivePolicyFor } from '../functions/core/effective';
import { type EndpointConfig, sameEndpointConfig } from '../functions/core/endpoint';
import { evaluateEndpoint } from '../functions/core/evaluate';
import type { Policy } from '../functions/core/policy/policy';
import type { SweepSummary } from '../functions/core/report/evidence';
import type { CheckResult } from '../functions/core/result';

/**
 * The storm's verdict, from what is left when it is over: the clusters as EKS has them, the audit
 * table, the alerts a subscriber received, the updates EKS accepted, and the ledgers of what was
 * delivered to the function and what ended in a dead-letter queue. Pure.
 */
export interface Evidence {
  now: Date;
  clusters: { name: string; config: EndpointConfig; tags: Record<string, string> }[];
  finalPolicy: Policy;
  /** Every policy in force during the run, by digest. */
  policies: ReadonlyMap<string, Policy>;
  records: readonly CheckResult[];
  sweeps: readonly SweepSummary[];
  /** alert@2 documents as a subscriber of the topic received them, in order. */
  alerts: readonly Record<string, unknown>[];
  /** Updates EKS accepted from the guard (replays of a token are not new updates). */
  guardUpdates: readonly {
    id: string;
    cluster: string;
    before: EndpointConfig;
    tags: Record<string, string>;
  }[];
  /** CloudTrail and schedule events, by event id: copies that succeeded and that went to the failure destination. */
  events: ReadonlyMap<string, { kind: 'cloudtrail' | 'schedule'; succeeded: number; deadLettered: number }>;
  /** Event ids found in the function's on-failure destination. */
  failedEvents: ReadonlySet<string>;
  /** Messages the guard sent to the recheck queue, those the function handled, those in its dead-letter queue. */
  sentMessages: ReadonlySet<string>;
  handledMessages: ReadonlySet<string>;
  deadLetteredMessages: ReadonlySet<string>;
}

export interface InvariantResult {
  name: string;
  /** How many things were checked. */
  checked: number;
  /** How many broke it, and one line for each of the first few. */
  broken: number;
  examples: string[];
  /** Something worth knowing that breaks nothing. */
  note?: string;
}

const MAX_EXAMPLES = 5;

function result(name: string, checked: number, problems: string[]): InvariantResult {
  return { name, checked, broken: problems.length, examples: problems.slice(0, MAX_EXAMPLES) };
}

/** Issuing records of a remediation: the decision that found the violations (not its follow-up). */
export function issuingRecords(records: readonly CheckResult[], updateId: string): CheckResult[] {
  return records.filter(
    (r) => r.outcome === 'remediated' && r.updateId === updateId && r.violations !== undefined,
  );
}

const decisionKey = (r: { correlationId?: unknown; time?: unknown }) =>
  `${String(r.correlationId)}@${String(r.time)}`;

export function converged(e: Evidence): InvariantResult {
  const problems: string[] = [];
  for (const cluster of e.clusters) {
    const rules = effectivePolicyFor(e.finalPolicy, cluster, e.now);
    if (rules.exemption || evaluateEndpoint(cluster.config, rules).compliant) continue;
    const latest = e.records
      .filter((r) => r.cluster === cluster.name)
      .sort((a, b) => b.time.localeCompare(a.time))[0];
    const alerted = latest && (latest.alertMessageId !== undefined || latest.alertQueued === true);
    const reason =
      latest?.outcome === 'blocked' ||
      (latest?.outcome === 'deferred' && latest.graceUntil !== undefined) ||
      (latest?.outcome === 'failed' && alerted);
    if (!reason)
      problems.push(
        `${cluster.name}: non-compliant, latest record ${latest ? `${latest.outcome} (${latest.reason})` : 'none'}`,
      );
  }
  return result(
    'every cluster compliant, or its reason recorded (exempt, blocked, in grace, failed and alerted)',
    e.clusters.length,
    problems,
  );
}

export function remediationsRecorded(e: Evidence): InvariantResult {
  const problems: string[] = [];
  for (const update of e.guardUpdates) {
    const issuing = issuingRecords(e.records, update.id);
    if (issuing.length !== 1)
      problems.push(`${update.cluster}: update ${update.id} has ${issuing.length} remediated records`);
  }
  return result(
    'every update the guard issued has exactly one remediated record',
    e.guardUpdates.length,
    problems,
  );
}

export function remediationsAlerted(e: Evidence): InvariantResult {
  const problems: string[] = [];
  for (const update of e.guardUpdates) {
    const [record] = issuingRecords(e.records, update.id);
    const expected = record?.escalation?.silenced ? 0 : 1;
    const decisions = new Set(
      e.alerts
        .filter(
          (a) => a.outcome === 'remediated' && (a.update as { id?: string } | undefined)?.id === update.id,
        )
        .map(decisionKey),
    );
    if (decisions.size !== expected)
      problems.push(
        `${update.cluster}: update ${update.id} alerted by ${decisions.size} decision(s), expected ${expected}`,
      );
  }
  return result(
    'every update the guard issued has one alert (none when its loop was already escalated)',
    e.guardUpdates.length,
    problems,
  );
}

/** An update EKS accepted for a cluster the policy the guard applied already found compliant. */
export function noNeedlessUpdates(e: Evidence): InvariantResult {
  const problems: string[] = [];
  for (const update of e.guardUpdates) {
    const [record] = issuingRecords(e.records, update.id);
    const policy = record?.policy ? e.policies.get(record.policy.digest) : undefined;
    if (!policy) continue;
    const rules = effectivePolicyFor(policy, { name: update.cluster, tags: {} }, e.now);
    if (evaluateEndpoint(update.before, rules).compliant) {
      problems.push(`${update.cluster}: update ${update.id} issued while the cluster already complied`);
    }
  }
  return result('no update was issued for a cluster already compliant', e.guardUpdates.length, problems);
}

export function noEventLost(e: Evidence): InvariantResult {
  const problems: string[] = [];
  const recorded = new Set(e.records.map((r) => r.correlationId));
  const swept = new Set(e.sweeps.map((s) => s.sweepId));
  for (const [id, event] of e.events) {
    if (event.succeeded > 0) {
      const decided =
        event.kind === 'schedule'
          ? swept.has(`sweep-${id}`) || recorded.has(`sweep-${id}`)
          : recorded.has(id);
      if (!decided) problems.push(`${event.kind} event ${id}: handled, but no decision recorded`);
    } else if (event.deadLettered > 0) {
      if (!e.failedEvents.has(id))
        problems.push(`${event.kind} event ${id}: failed every retry, not in the dead-letter queue`);
    } else {
      problems.push(`${event.kind} event ${id}: never finished`);
    }
  }
  for (const id of e.sentMessages) {
    if (!e.handledMessages.has(id) && !e.deadLetteredMessages.has(id))
      problems.push(`queue message ${id}: neither handled nor in the dead-letter queue`);
  }
  return result(
    'no event lost: each has a decision or is in a dead-letter queue',
    e.events.size + e.sentMessages.size,
    problems,
  );
}

/**
 * The story of an alert: its cluster, the event or sweep it came from (correlation id), what it
 * says. SNS and the recheck queue deliver at least once, and a process that dies between
 * publishing an alert and writing its record publishes it again on the retry: one story, one alert.
 */
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
export function noDecisionFailed(e: Evidence): InvariantResult {
  const problems = e.records
    .filter((r) => r.outcome === 'failed')
    .map((r) => `${r.cluster}: failed (${r.reason})`);
  return result(
    'no decision failed: throttling, 5xx, timeouts and crashes only put decisions off',
    e.records.length,
    problems,
  );
}

export function checkInvariants(e: Evidence): InvariantResult[] {
  return [
    converged(e),
    remediationsRecorded(e),
    remediationsAlerted(e),
    noNeedlessUpdates(e),
    noEventLost(e),
    alertsRecorded(e),
    alertsPerEpisode(e),
    noDecisionFailed(e),
  ];
}
