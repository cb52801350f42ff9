import type { CheckResult } from '../result';
import { RESOLVABLE } from './facts';

/**
 * When a compliant decision resolves an open alert (DESIGN §10): the cluster's last alerted
 * decision was `failed`, `blocked` or `would-remediate`. The compliant decision that carries the
 * `resolved` alert is itself an alerted decision, so the next sweep finds it as the last one and
 * sends nothing: one `resolved` alert, not one per sweep.
 */
export type AlertedDecision = Pick<CheckResult, 'outcome' | 'violations' | 'time'>;

/** Whether a decision carried an alert: published, or queued to be published. */
export function carriedAlert(record: Pick<CheckResult, 'alertMessageId' | 'alertQueued'>): boolean {
  return Boolean(record.alertMessageId) || record.alertQueued === true;
}

/** The newest decision of a cluster that carried an alert, from its history (newest first). */
export function lastAlerted<T extends CheckResult>(history: readonly T[]): T | undefined {
  return history.find(carriedAlert);
}

/**
 * The decision whose alert `result` resolves, or undefined when no `resolved` alert is due.
 * `history` is the cluster's earlier decisions, newest first (they may include `result` itself
 * when it has been written already: it is skipped by its correlation id and time).
 */
export function resolutionFor(
  result: CheckResult,
  history: readonly CheckResult[],
): AlertedDecision | undefined {
  if (result.outcome !== 'compliant' || result.escalation) return undefined;
  const earlier = history.filter(
    (record) =>
      !(record.correlationId === result.correlationId && record.time === result.time) &&
      record.cluster === result.cluster &&
      record.region === result.region,
  );
  const last = lastAlerted(earlier);
  if (!last || !RESOLVABLE.includes(last.outcome) || last.escalation) return undefined;
  return { outcome: last.outcome, time: last.time, ...(last.violations && { violations: last.violations }) };
}
