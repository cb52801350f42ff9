import { effectivePolicyFor } from '../functions/core/effective';
import { evaluateEndpoint } from '../functions/core/evaluate';
import type { CheckResult } from '../functions/core/result';
import { alertsPerEpisode, alertsRecorded } from './alert-invariants';
import { decisionKey, type Evidence, type InvariantResult, result } from './invariant-base';

/** The storm's invariants over what is left when it is over (docs/STORM.md); the alerts' own are in alert-invariants.ts. Pure. */

/** Issuing records of a remediation: the decision that found the violations (not its follow-up). */
export function issuingRecords(records: readonly CheckResult[], updateId: string): CheckResult[] {
  return records.filter(
    (r) => r.outcome === 'remediated' && r.updateId === updateId && r.violations !== undefined,
  );
}

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
