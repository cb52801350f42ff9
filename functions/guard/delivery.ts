import type { QueuedDecision } from '../core/decision-message';
import { deadlineOf } from '../core/deferral';
import type { CheckResult } from '../core/result';
import type { GuardPorts } from '../ports';
import { alertOfDecision, RESOLUTION_HISTORY, sendAlert } from './alerts';
import { forwardDecision } from './decision-events';
import { recordResult } from './evidence';
import { refreshFinding } from './finding-refresh';
import type { Decision, GuardOptions, GuardTelemetry } from './options';

/**
 * What happens after a decision: its alert in every form, the organisation's copy, the audit
 * record and the follow-up re-check, each tried even when another failed. The decision itself is
 * made in guard.ts; nothing here reads a cluster or decides again.
 */

/** How long the guard waits between looks at an update it issued. */
export const UPDATE_POLL_SECONDS = 30;

/** A decision whose alert, record or follow-up could not be delivered: the request must be retried. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  /** The decision issued an update: report `result` as it is, a retry would find the cluster changed. */
  readonly changed: boolean;
  constructor(
    readonly result: CheckResult,
    readonly parts: string[],
    options?: { cause?: unknown; changed?: boolean },
  ) {
    super(
      `${result.cluster}: decided ${result.outcome} but could not deliver the ${parts.join(' and ')}`,
      options,
    );
    this.changed = options?.changed === true;
  }
}

/**
 * Delivers a decision; when part of the delivery of one that issued an update fails, queues the
 * rest as a decision message instead of failing the request. A retry of the request would decide
 * again, find the cluster UPDATING or compliant, and lose the `remediated` record (violations,
 * policy digest, alert id). Only if the queue fails too does the request fail, with a DeliveryError
 * marked `changed` that carries the result (the sweep reports it as it is).
 */
export async function deliverDecision(
  decision: Decision,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  try {
    return await deliver(decision, ports, telemetry);
  } catch (error) {
    if (!decision.changed || !(error instanceof DeliveryError)) throw error;
    const { alertFailed: _retriedFromTheQueue, ...delivered } = error.result;
    const result: CheckResult = { ...delivered, deliveryQueued: true };
    const rest: QueuedDecision = {
      result,
      notify: error.parts.includes('alert'),
      record: error.parts.includes('audit record'),
      followUp: error.parts.includes('re-check'),
    };
    try {
      await ports.recheck.sendDecision(rest);
    } catch (queueError) {
      telemetry?.deliveryFailed('recheck', error.result, queueError);
      throw new DeliveryError(error.result, error.parts, { cause: queueError, changed: true });
    }
    return result;
  }
}

/** The re-check that follows an issued update until EKS reports it done, or undefined without an update id. */
export function followUpOf(
  result: CheckResult,
  now: Date,
  options: GuardOptions,
): Decision['next'] | undefined {
  if (!result.updateId || !result.before || !result.after) return undefined;
  return {
    delaySeconds: UPDATE_POLL_SECONDS,
    request: {
      cluster: result.cluster,
      region: result.region,
      ...(result.account ? { account: result.account } : {}),
      trigger: result.trigger,
      correlationId: result.correlationId,
      attempt: 0,
      deadline: deadlineOf(undefined, now, options.recheckDeadlineMinutes),
      followUpdate: {
        updateId: result.updateId,
        issuedAt: result.time,
        before: result.before,
        after: result.after,
      },
    },
  };
}

/** Records and alerts a decision that did not come from a cluster (an unreadable trigger, say). */
export async function recordDecision(
  result: CheckResult,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  return deliver({ result, notify: true }, ports, telemetry);
}

/** The claim of an update (see claimUpdate). */
export function updateClaimKey(result: CheckResult): string {
  return `update/${result.region}/${result.cluster}/${result.updateId}`;
}

/** Who delivers an update's decision: the decision itself, its story and the moment it was made. */
export function decisionOwner(result: CheckResult): string {
  return `${result.correlationId}@${result.time}`;
}

/**
 * One `remediated` record and one alert per update: two copies of one event delivered at once
 * decide alike, send the same clientRequestToken and get the same update back from EKS. The first
 * decision to claim the update delivers it; another is a duplicate and delivers nothing. A claim
 * that cannot be taken at all (the table failing) does not hold the delivery up: the record then
 * goes through the queue as usual, and a duplicate is the lesser harm than a lost record.
 */
async function claimUpdate(decision: Decision, ports: GuardPorts): Promise<CheckResult | undefined> {
  const { result } = decision;
  if (!decision.changed || result.outcome !== 'remediated' || !result.updateId) return undefined;
  const mine = await ports.audit.claim(updateClaimKey(result), decisionOwner(result)).catch(() => true);
  if (mine) return undefined;
  return {
    ...result,
    outcome: 'ignored',
    reason: `update ${result.updateId} is recorded and alerted by the decision that claimed it first (this event was delivered more than once)`,
  };
}

export async function deliver(
  decision: Decision,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  const duplicate = await claimUpdate(decision, ports);
  if (duplicate) return duplicate;
  let result = decision.result;
  const failed: string[] = [];
  let cause: unknown;

  // The cluster's newest records, read at most once: for the alert a compliant decision resolves,
  // and for whether a compliant sweep check changed anything worth a full record.
  let history: Promise<CheckResult[]> | undefined;
  const newest = () => {
    // A failed read is not kept: the record side reads again rather than inherit the alert side's failure.
    history ??= ports.audit
      .query({
        cluster: result.cluster,
        region: result.region,
        since: new Date(0),
        limit: RESOLUTION_HISTORY,
      })
      .catch((error: unknown) => {
        history = undefined;
        throw error;
      });
    return history;
  };

  // The decision's own alert, or the one `resolved` alert of a cluster compliant again.
  const alert = await alertOfDecision(result, decision.notify, ports, newest);
  if (alert) {
    const sent = await sendAlert(alert, result, ports, telemetry);
    result = sent.result;
    if (sent.failed.length > 0) {
      failed.push(...sent.failed);
      cause = sent.cause;
    }
  }
  // The organisation's copy (decision-events.ts): sent whether or not the topic took the alert, never failing the decision.
  if (alert) await forwardDecision(alert.json, ports, telemetry);
  // Without an alert, a sweep still puts the cluster's current Security Hub finding back (finding-refresh.ts).
  else failed.push(...(await refreshFinding(result, ports, telemetry)));
  // The record is written even when the alert failed, and says so.
  try {
    await recordResult(result, ports.audit, newest);
  } catch (error) {
    failed.push('audit record');
    cause = error;
    telemetry?.deliveryFailed('audit', result, error);
  }
  if (decision.next) {
    try {
      await ports.recheck.send(decision.next.request, decision.next.delaySeconds);
    } catch (error) {
      failed.push('re-check');
      cause = error;
      telemetry?.deliveryFailed('recheck', result, error);
    }
  }
  if (failed.length > 0) throw new DeliveryError(result, failed, { cause });
  return result;
}
