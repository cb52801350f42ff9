import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type DecisionEventEntry, entryBytes, MAX_ENTRY_BYTES } from '../core/decision-event';
import { type ClientSource, lazy, resolveClient } from './clients';

/** Loaded on the first event sent: a member without a central bus never pays for it. */
const eventBridge = lazy((): typeof EventBridge => require('@aws-sdk/client-eventbridge'));

/** PutEvents takes at most 10 entries per call, and at most 256 KB in all. */
const MAX_BATCH_ENTRIES = 10;

/** Attempts per entry, counting the first: the SDK retries whole-call faults itself on top. */
export const DECISION_BUS_ATTEMPTS = 3;

export interface FailedDecisionEvent {
  entry: DecisionEventEntry;
  errorCode: string;
  errorMessage: string;
}

export interface DecisionBusResult {
  /** Event ids EventBridge assigned, in the order the entries were accepted. */
  eventIds: string[];
  /** Entries still refused after every attempt; the caller queues them for a later retry. */
  failed: FailedDecisionEvent[];
}

export interface DecisionBusPort {
  send(entries: DecisionEventEntry[]): Promise<DecisionBusResult>;
}

/** A central bus that cannot be used as given: the message is one line. */
export class DecisionBusConfigError extends Error {
  override readonly name = 'DecisionBusConfigError';
}

/** A client in the bus's own region, created on first use, with the guard's standard retries. */
export function busClient(busArn: string): () => EventBridgeClient {
  const region = busRegion(busArn);
  return lazy(() => new (eventBridge().EventBridgeClient)({ region, maxAttempts: 5, retryMode: 'standard' }));
}

/** A bus ARN names a region: PutEvents must be sent to that region's endpoint. */
export function busRegion(busArn: string): string {
  const parts = busArn.split(':');
  const region = parts[3];
  const valid =
    parts.length === 6 && parts[0] === 'arn' && parts[2] === 'events' && /^\d{12}$/.test(parts[4] ?? '');
  if (!valid || !region || !parts[5]?.startsWith('event-bus/')) {
    throw new DecisionBusConfigError(`${busArn}: not an EventBridge event bus ARN`);
  }
  return region;
}

/**
 * Sends decision events to the central bus. PutEvents reports refusals per entry (throttling,
 * internal faults) without failing the call: only the refused entries are sent again, with a
 * short back-off; whatever is still refused is returned, never dropped silently.
 */
export function decisionBus(
  client: ClientSource<EventBridgeClient>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): DecisionBusPort {
  return {
    async send(entries: DecisionEventEntry[]): Promise<DecisionBusResult> {
      const eventIds: string[] = [];
      const failed: FailedDecisionEvent[] = [];
      const sendable: DecisionEventEntry[] = [];
      for (const entry of entries) {
        if (entryBytes(entry) >= MAX_ENTRY_BYTES) {
          failed.push({ entry, errorCode: 'EntryTooLarge', errorMessage: `${entryBytes(entry)} bytes` });
        } else {
          sendable.push(entry);
        }
      }

      let pending = sendable;
      for (let attempt = 1; pending.length > 0; attempt++) {
        const refused: FailedDecisionEvent[] = [];
        for (const batch of batches(pending)) {
          const { PutEventsCommand } = eventBridge();
          const response = await resolveClient(client).send(new PutEventsCommand({ Entries: batch }));
          batch.forEach((entry, index) => {
            const result = response.Entries?.[index];
            if (result?.EventId && !result.ErrorCode) eventIds.push(result.EventId);
            else
              refused.push({
                entry,
                errorCode: result?.ErrorCode ?? 'NoResult',
                errorMessage: result?.ErrorMessage ?? 'PutEvents returned no result for the entry',
              });
          });
        }
        if (refused.length === 0 || attempt >= DECISION_BUS_ATTEMPTS) {
          failed.push(...refused);
          break;
        }
        pending = refused.map((r) => r.entry);
        await sleep(100 * 2 ** attempt);
      }
      return { eventIds, failed };
    },
  };
}

/** Consecutive runs of entries within the per-call count and size limits. */
function batches(entries: DecisionEventEntry[]): DecisionEventEntry[][] {
  const result: DecisionEventEntry[][] = [];
  let current: DecisionEventEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entryBytes(entry);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size >= MAX_ENTRY_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
