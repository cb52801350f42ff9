import type { Random } from './random';
import type { InvokeResult, WorkerPool } from './workers';

/**
 * Lambda's asynchronous invocation, as EventBridge uses it: an event is delivered at least once
 * (sometimes twice, sometimes both copies at once), in no particular order; a copy whose
 * invocation fails is retried twice, a minute and then two minutes later (storm time), and then
 * goes to the on-failure destination with the error.
 */
export interface AsyncOptions {
  pool: WorkerPool;
  random: Random;
  /** The time factor: Lambda's retry delays are divided by it. */
  compression: number;
  /** Share of events delivered twice, and of those the share whose copies run at the same time. */
  duplicates: number;
  parallelDuplicates: number;
  /** Each copy is held up to this long before delivery (ms), which reorders events. */
  maxDelayMs: number;
  onFailure(event: unknown, error: string): Promise<void>;
  onResult?(result: InvokeResult): void;
}

export type EventKind = 'cloudtrail' | 'schedule';

export interface AsyncLedgerEntry {
  kind: EventKind;
  copies: number;
  succeeded: number;
  deadLettered: number;
  attempts: number;
}

/** Lambda's retry schedule for asynchronous invocations: 1 minute, then 2 minutes. */
export const RETRY_DELAYS_MS = [60_000, 120_000];

export class AsyncInvoker {
  readonly ledger = new Map<string, AsyncLedgerEntry>();
  #pending = 0;
  #requests = 0;

  constructor(private readonly options: AsyncOptions) {}

  /** Events whose copies are still waiting, running or due for a retry. */
  get pending(): number {
    return this.#pending;
  }

  submit(eventId: string, kind: EventKind, event: unknown): void {
    const { random } = this.options;
    const twice = random.chance(this.options.duplicates);
    const together = twice && random.chance(this.options.parallelDuplicates);
    const first = random.int(0, this.options.maxDelayMs);
    const delays = twice ? [first, together ? first : random.int(0, this.options.maxDelayMs * 2)] : [first];
    this.ledger.set(eventId, { kind, copies: delays.length, succeeded: 0, deadLettered: 0, attempts: 0 });
    for (const delay of delays) this.#deliver(eventId, event, delay, 0);
  }

  #deliver(eventId: string, event: unknown, delayMs: number, retry: number): void {
    this.#pending += 1;
    setTimeout(() => {
      const requestId = `storm-async-${(this.#requests++).toString(16).padStart(6, '0')}`;
      void this.options.pool.invoke(event, requestId).then(async (result) => {
        this.options.onResult?.(result);
        const entry = this.ledger.get(eventId);
        if (entry) entry.attempts += 1;
        if (result.kind === 'ok') {
          if (entry) entry.succeeded += 1;
        } else {
          const next = RETRY_DELAYS_MS[retry];
          if (next !== undefined) {
            this.#deliver(eventId, event, Math.round(next / this.options.compression), retry + 1);
          } else {
            const error = result.kind === 'error' ? result.error : `the worker was killed (${result.reason})`;
            await this.options.onFailure(event, error).catch(() => undefined);
            if (entry) entry.deadLettered += 1;
          }
        }
        this.#pending -= 1;
      });
    }, delayMs);
  }
}
