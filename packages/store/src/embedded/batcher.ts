import type { Clock, TimerHandle } from '@watershed/common';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions<T> {
  clock: Clock;
  /** Longest a row waits for company before it is written alone. */
  flushIntervalMs: number;
  /** A batch this large is written at once, without waiting for the interval. */
  maxBatch: number;
  /** Writes one batch atomically; throwing rejects every caller whose rows were in it. */
  write: (items: T[]) => void;
}

/**
 * Gathers rows from any number of concurrent callers and writes them in one transaction per
 * batch, by size or after `flushIntervalMs` on the injected clock. Each caller's promise settles
 * with the batch its rows went out in, so "resolved" means "committed".
 */
export class WriteBatcher<T> {
  readonly #opts: BatcherOptions<T>;
  #pending: T[] = [];
  #waiters: Waiter[] = [];
  #timer: TimerHandle | undefined;
  #batches = 0;

  constructor(opts: BatcherOptions<T>) {
    this.#opts = opts;
  }

  /** Rows waiting for the next flush. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Batches written so far. */
  get batches(): number {
    return this.#batches;
  }

  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const pending = this.#pending;
    for (let i = 0; i < items.length; i++) pending.push(items[i] as T);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (pending.length >= this.#opts.maxBatch) this.flush();
    else this.#timer ??= this.#opts.clock.setTimeout(() => this.flush(), this.#opts.flushIntervalMs);
    return done;
  }

  /** Writes whatever is pending now, settling the callers waiting on it. */
  flush(): void {
    if (this.#timer !== undefined) {
      this.#opts.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    try {
      this.#opts.write(batch);
      this.#batches++;
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
