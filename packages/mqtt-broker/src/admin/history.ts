import type { RateSample } from './types.js';

/** Cumulative counters as `Broker.stats()` gives them. */
export interface Counters {
  readonly clients: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly dropped: number;
}

/**
 * Per-second samples of connection count and message rates for the last `capacity` seconds
 * (default 15 minutes): a fixed ring of typed arrays, so memory never grows and a sample costs
 * no allocation. The owner calls `record` once a second with the broker's cumulative counters;
 * rates are the differences, scaled to the time actually elapsed (a late timer does not inflate them).
 */
export class RateHistory {
  readonly capacity: number;
  readonly #ts: Float64Array;
  readonly #clients: Float64Array;
  readonly #in: Float64Array;
  readonly #out: Float64Array;
  readonly #dropped: Float64Array;
  #next = 0;
  #count = 0;
  #last: { ts: number; c: Counters } | undefined;

  constructor(capacity = 900) {
    this.capacity = capacity;
    this.#ts = new Float64Array(capacity);
    this.#clients = new Float64Array(capacity);
    this.#in = new Float64Array(capacity);
    this.#out = new Float64Array(capacity);
    this.#dropped = new Float64Array(capacity);
  }

  /** Records the counters at `ts`; the first call only sets the baseline. */
  record(ts: number, c: Counters): void {
    const last = this.#last;
    this.#last = { ts, c: { ...c } };
    if (last === undefined || ts <= last.ts) return;
    const perS = 1000 / (ts - last.ts);
    const i = this.#next;
    this.#ts[i] = ts;
    this.#clients[i] = c.clients;
    // A counter that went down (never, today) would give a negative rate; clamp to zero.
    this.#in[i] = Math.max(0, c.messagesIn - last.c.messagesIn) * perS;
    this.#out[i] = Math.max(0, c.messagesOut - last.c.messagesOut) * perS;
    this.#dropped[i] = Math.max(0, c.dropped - last.c.dropped) * perS;
    this.#next = (i + 1) % this.capacity;
    if (this.#count < this.capacity) this.#count++;
  }

  /** Samples oldest first, optionally only those after `sinceTs`. */
  samples(sinceTs = Number.NEGATIVE_INFINITY): RateSample[] {
    const out: RateSample[] = [];
    const start = (this.#next - this.#count + this.capacity) % this.capacity;
    for (let k = 0; k < this.#count; k++) {
      const i = (start + k) % this.capacity;
      if (this.#ts[i]! <= sinceTs) continue;
      out.push(this.#sample(i));
    }
    return out;
  }

  /** The newest sample. */
  latest(): RateSample | undefined {
    if (this.#count === 0) return undefined;
    return this.#sample((this.#next - 1 + this.capacity) % this.capacity);
  }

  #sample(i: number): RateSample {
    return {
      ts: this.#ts[i]!,
      clients: this.#clients[i]!,
      messagesIn: round(this.#in[i]!),
      messagesOut: round(this.#out[i]!),
      dropped: round(this.#dropped[i]!),
    };
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
