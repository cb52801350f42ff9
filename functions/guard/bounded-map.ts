import { AdaptiveLimit, type LimitTicket } from '../core/adaptive-limit';

/**
 * Async iteration with bounded, adaptive concurrency, and a read-ahead buffer: the sweep's
 * plumbing, with no AWS in it.
 */

/** Asks mapBounded to run the item again later; `throttled` backs the limit off. */
export class Retry<T> {
  constructor(
    readonly item: T,
    readonly throttled: boolean,
  ) {}
}

/**
 * Maps an (async) iterable with at most `limit` calls in flight, yielding in completion order.
 * With an AdaptiveLimit, each call's end adapts the limit; a call that returns a Retry is run
 * again (before new items) instead of yielding. A number is a fixed limit.
 */
export async function* mapBounded<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  limit: number | AdaptiveLimit,
  fn: (item: T) => Promise<R | Retry<T>>,
): AsyncGenerator<R> {
  const limiter = typeof limit === 'number' ? new AdaptiveLimit({ initial: limit, max: limit }) : limit;
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source);
  const inFlight = new Map<number, Promise<{ id: number; value: R | Retry<T> }>>();
  const again: T[] = [];
  const tickets = new Map<number, LimitTicket>();
  let nextId = 0;
  let exhausted = false;
  try {
    while (true) {
      while (limiter.hasRoom() && (again.length > 0 || !exhausted)) {
        let item: T;
        if (again.length > 0) item = again.shift() as T;
        else {
          const next = await iterator.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          item = next.value;
        }
        const id = nextId++;
        tickets.set(id, limiter.start());
        inFlight.set(
          id,
          fn(item).then((value) => ({ id, value })),
        );
      }
      if (inFlight.size === 0) return;
      const { id, value } = await Promise.race(inFlight.values());
      inFlight.delete(id);
      const ticket = tickets.get(id) as LimitTicket;
      tickets.delete(id);
      if (value instanceof Retry) {
        limiter.done(ticket, value.throttled ? 'throttled' : 'failed');
        again.push(value.item);
        continue;
      }
      limiter.done(ticket, 'succeeded');
      yield value;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}

/**
 * Reads an async iterable ahead of its consumer, up to `size` items, starting at once: the
 * source's next page is fetched while the items already read are used. A failure of the source
 * reaches the consumer once the items read before it are used. `return()` stops the reading.
 */
export function readAhead<T>(source: AsyncIterable<T>, size: number): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  let done = false;
  let closed = false;
  let failure: { error: unknown } | undefined;
  let pumping: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const pump = async () => {
    try {
      while (!done && buffer.length < size) {
        const next = await iterator.next();
        if (next.done) done = true;
        else if (!closed) buffer.push(next.value);
        wake?.();
      }
    } catch (error) {
      failure = { error };
      done = true;
    } finally {
      pumping = undefined;
      wake?.();
    }
  };
  const refill = () => {
    if (!done && !pumping && buffer.length < size) pumping = pump();
  };
  refill();

  const reader: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => reader,
    async next(): Promise<IteratorResult<T>> {
      while (!closed) {
        refill();
        if (buffer.length > 0) {
          const value = buffer.shift() as T;
          refill();
          return { done: false, value };
        }
        if (done) {
          if (failure) {
            const { error } = failure;
            failure = undefined;
            throw error;
          }
          break;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      return { done: true, value: undefined };
    },
    async return(): Promise<IteratorResult<T>> {
      if (!closed) {
        closed = true;
        buffer.length = 0;
        const wasDone = done;
        done = true;
        await pumping;
        if (!wasDone) await iterator.return?.();
      }
      return { done: true, value: undefined };
    },
  };
  return reader;
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
