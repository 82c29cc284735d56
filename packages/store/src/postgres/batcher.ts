import type { Clock, TimerHandle } from '@watershed/common';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AsyncBatcherOptions<T> {
  clock: Clock;
  /** Longest a row waits for company before it is written. */
  flushIntervalMs: number;
  /** Pending rows that start a write at once, without waiting for the interval. */
  maxBatch: number;
  /** Writes one batch atomically; a rejection rejects every caller whose rows were in it. */
  write: (items: T[]) => Promise<void>;
}

/**
 * Gathers rows from concurrent callers into batches written one at a time: while a batch is in
 * flight new rows collect behind it, and go out together as soon as it settles (if the interval
 * has passed or enough have gathered). Each caller's promise settles with its batch, so
 * "resolved" means "committed".
 */
export class AsyncBatcher<T> {
  readonly #opts: AsyncBatcherOptions<T>;
  #pending: T[] = [];
  #waiters: Waiter[] = [];
  #timer: TimerHandle | undefined;
  #due = false;
  #inflight: Promise<void> | undefined;
  #inflightRows = 0;
  #batches = 0;

  constructor(opts: AsyncBatcherOptions<T>) {
    this.#opts = opts;
  }

  /** Rows waiting for a batch, not yet sent. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Rows of the batch being written now. */
  get inflight(): number {
    return this.#inflightRows;
  }

  /** Batches committed so far. */
  get batches(): number {
    return this.#batches;
  }

  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const pending = this.#pending;
    for (let i = 0; i < items.length; i++) pending.push(items[i] as T);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (pending.length >= this.#opts.maxBatch) this.#due = true;
    this.#kick();
    return done;
  }

  /** Writes everything pending, batch after batch; resolves when nothing is pending or in flight. */
  async drain(): Promise<void> {
    this.#due = true;
    for (;;) {
      this.#kick();
      const inflight = this.#inflight;
      if (!inflight) return;
      await inflight;
    }
  }

  #kick(): void {
    if (this.#inflight || this.#pending.length === 0) return;
    if (!this.#due) {
      this.#timer ??= this.#opts.clock.setTimeout(() => {
        this.#timer = undefined;
        this.#due = true;
        this.#kick();
      }, this.#opts.flushIntervalMs);
      return;
    }
    if (this.#timer !== undefined) {
      this.#opts.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#pending;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    this.#due = false;
    this.#inflightRows = batch.length;
    this.#inflight = this.#send(batch, waiters).finally(() => {
      this.#inflight = undefined;
      this.#inflightRows = 0;
      // Rows that gathered during the write waited at least that long: send them now.
      if (this.#pending.length > 0) this.#due = true;
      this.#kick();
    });
  }

  async #send(batch: T[], waiters: Waiter[]): Promise<void> {
    try {
      await this.#opts.write(batch);
      this.#batches++;
    } catch (err) {
      for (const w of waiters) w.reject(err);
      return;
    }
    for (const w of waiters) w.resolve();
  }
}
