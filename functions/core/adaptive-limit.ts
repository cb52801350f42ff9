/**
 * How many calls may be in flight at once, adapted to what the service accepts (AIMD):
 * start at a safe level, grow while calls succeed, halve at once when one is throttled, and never
 * leave [min, max]. Pure: the caller says when a call starts and how it ended.
 *
 * Growth is one more call per success until the first throttle (it doubles every round of calls,
 * so a sweep reaches its ceiling within a few round trips), then one more per round of calls
 * (`limit` successes). Calls already in flight when the limit was halved were sent at the old
 * rate: their throttles do not halve it again, so one burst of throttles costs one halving.
 */
export interface AdaptiveLimitOptions {
  /** The ceiling (SWEEP_CONCURRENCY). */
  max: number;
  /** Where to start; clamped to [min, max]. */
  initial: number;
  /** The floor; at least 1. */
  min?: number;
}

/** A call in flight, from start() to done(). */
export interface LimitTicket {
  readonly epoch: number;
}

export type CallEnd = 'succeeded' | 'throttled' | 'failed';

export class AdaptiveLimit {
  readonly max: number;
  readonly min: number;
  #window: number;
  #epoch = 0;
  #inFlight = 0;
  #throttledOnce = false;
  #peak: number;
  #peakInFlight = 0;
  #decreases = 0;

  constructor(options: AdaptiveLimitOptions) {
    this.min = Math.max(1, Math.floor(options.min ?? 1));
    this.max = Math.max(this.min, Math.floor(options.max));
    this.#window = clamp(Math.floor(options.initial), this.min, this.max);
    this.#peak = this.#window;
  }

  /** Calls allowed in flight now. */
  get limit(): number {
    return Math.floor(this.#window);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** The highest limit reached. */
  get peak(): number {
    return this.#peak;
  }

  /** The most calls that were in flight at once. */
  get peakInFlight(): number {
    return this.#peakInFlight;
  }

  /** How many times the limit was halved. */
  get decreases(): number {
    return this.#decreases;
  }

  hasRoom(): boolean {
    return this.#inFlight < this.limit;
  }

  /** Counts a call in flight (the caller checks hasRoom() first). */
  start(): LimitTicket {
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    return { epoch: this.#epoch };
  }

  /** A call ended: a success grows the limit, a throttle halves it, any other failure leaves it. */
  done(ticket: LimitTicket, end: CallEnd): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (end === 'succeeded') {
      const step = this.#throttledOnce ? 1 / Math.max(1, this.limit) : 1;
      this.#window = Math.min(this.max, this.#window + step);
      this.#peak = Math.max(this.#peak, this.limit);
    } else if (end === 'throttled') {
      this.#throttledOnce = true;
      // Sent before the last halving: already accounted for.
      if (ticket.epoch !== this.#epoch) return;
      const halved = Math.max(this.min, Math.floor(this.#window / 2));
      if (halved < this.#window) this.#decreases += 1;
      this.#window = halved;
      this.#epoch += 1;
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, value));
}
