import { type DecisionEventEntry, decisionEvent, sweepEvent } from '../core/decision-event';
import { entryOfQueuedEvent, type QueuedDecisionEvent } from '../core/decision-event-message';
import type { GuardPorts } from '../ports';

/**
 * The organisation's copy of a member's decisions (DESIGN §12). The central account only watches:
 * a bus that refuses or cannot be reached never fails a decision, which has already been acted on,
 * alerted and recorded here. What the bus refuses is queued on the recheck queue and sent again
 * from there; only when that fails too is the entry lost, and then it is reported.
 */

/** Where a lost decision event is reported (the handler logs and counts it). */
export interface DecisionEventTelemetry {
  /** Neither the bus nor the queue took the entry. */
  decisionEventLost?(detailType: string, error: unknown): void;
  /** A queued entry failed again; the queue redelivers it. */
  decisionEventRetry?(correlationId: string, error: unknown): void;
}

/** Sends the alert's JSON form as an "EKS Endpoint Guard Decision" event, when the guard has a central bus. */
export async function forwardDecision(
  alertJson: Record<string, unknown>,
  ports: GuardPorts,
  telemetry?: DecisionEventTelemetry,
): Promise<void> {
  if (!ports.decisions) return;
  await forward([decisionEvent(alertJson, ports.decisions)], ports, telemetry);
}

/** Sends the heartbeat of a sweep of the whole region, when the guard has a central bus. */
export async function forwardSweep(
  sweep: { startedAt: Date; clusters: number },
  ports: GuardPorts,
  telemetry?: DecisionEventTelemetry,
): Promise<void> {
  if (!ports.decisions) return;
  const heartbeat = {
    sweptAt: sweep.startedAt.toISOString(),
    clusters: sweep.clusters,
    sweepSchedule: ports.decisions.sweepSchedule,
  };
  await forward([sweepEvent(heartbeat, ports.decisions)], ports, telemetry);
}

/**
 * Sends a queued event again (see decision-event-message.ts). A refusal throws, so that SQS
 * redelivers the message until it is sent or reaches the alarmed dead-letter queue.
 */
export async function resendDecisionEvent(event: QueuedDecisionEvent, ports: GuardPorts): Promise<void> {
  if (!ports.decisions)
    throw new DecisionEventError('a queued decision event, but DECISION_BUS_ARN is not set');
  const { failed } = await ports.decisions.send([entryOfQueuedEvent(event, ports.decisions)]);
  const [refused] = failed;
  if (refused) throw new DecisionEventError(`the central bus refused the event again (${refused.errorCode})`);
}

/** A decision event that could not be sent: the message is one line. */
export class DecisionEventError extends Error {
  override readonly name = 'DecisionEventError';
}

async function forward(
  entries: DecisionEventEntry[],
  ports: GuardPorts,
  telemetry?: DecisionEventTelemetry,
): Promise<void> {
  let refused: DecisionEventEntry[];
  try {
    refused = (await ports.decisions?.send(entries))?.failed.map((f) => f.entry) ?? [];
  } catch {
    // The whole call failed (network, credentials, the bus policy): every entry is retried.
    refused = entries;
  }
  for (const entry of refused) {
    try {
      if (!ports.recheck.sendDecisionEvent) throw new DecisionEventError('no queue to retry decision events');
      await ports.recheck.sendDecisionEvent(entry);
    } catch (error) {
      telemetry?.decisionEventLost?.(entry.DetailType, error);
    }
  }
}
