import type { Sink, SinkHealth, SinkMetrics, SinkRow } from '@watershed/sink-core';
import { SinkRuntimeErrors } from './errors.js';

/**
 * One sink id as the rule engine sees it: a stable object whose `write` goes to whatever sink
 * runs under that id now. The rule engine looks sinks up per batch, so a rule keeps working
 * across an edit, and names a clear cause in its action metrics when the sink is disabled or
 * deleted (EMQX counts such rows as `failed` with the action's reason the same way).
 *
 * A switch (edit, enable, disable, delete) closes the running sink first, which drains within
 * its `closeTimeoutMs` and keeps the rest in its disk queue (`dataDir/sinks/{id}.db`); the
 * replacement opens that same file and sends those rows first. The two never hold the file at
 * once. Rows written during the switch wait in memory and follow, in order, once it is done.
 * Switches of one slot must not overlap: the runtime runs them one after another.
 */
export class SinkSlot {
  readonly id: string;
  #sink: Sink | undefined;
  #switching: Promise<void> | undefined;
  #deleted = false;
  /** Rows written during a switch, not yet handed to the replacement. */
  #waiting = 0;

  constructor(id: string, sink: Sink | undefined) {
    this.id = id;
    this.#sink = sink;
  }

  /** The running sink; undefined while disabled. */
  get sink(): Sink | undefined {
    return this.#sink;
  }

  write(rows: readonly SinkRow[]): Promise<void> {
    if (this.#switching) return this.#writeAfter(this.#switching, rows);
    if (this.#sink) return this.#sink.write(rows);
    const err = this.#deleted ? SinkRuntimeErrors.DELETED : SinkRuntimeErrors.DISABLED;
    return Promise.reject(err.create([this.id]));
  }

  async #writeAfter(switching: Promise<void>, rows: readonly SinkRow[]): Promise<void> {
    this.#waiting += rows.length;
    try {
      await switching;
    } finally {
      this.#waiting -= rows.length;
    }
    // Continuations of one promise run in the order they were registered: rows keep their order.
    return this.write(rows);
  }

  /**
   * Closes the running sink (draining it) and puts `next()` in its place; `next` returning
   * undefined leaves the slot stopped. If `next` throws, `fallback()` (the previous definition)
   * is put back and the error rethrown, so a failed change does not leave the id without a sink.
   * Resolves with the metrics the closed sink ended with.
   */
  async switchTo(
    next: () => Sink | undefined,
    fallback: () => Sink | undefined = () => undefined,
  ): Promise<SinkMetrics | undefined> {
    let open!: () => void;
    this.#switching = new Promise<void>((resolve) => (open = resolve));
    try {
      const old = this.#sink;
      await old?.close();
      const last = old?.metrics();
      try {
        this.#sink = next();
      } catch (err) {
        this.#sink = fallback();
        throw err;
      }
      return last;
    } finally {
      this.#switching = undefined;
      open();
    }
  }

  /** Stops the slot for good: rows still written to it fail with "deleted". */
  async delete(): Promise<SinkMetrics | undefined> {
    this.#deleted = true;
    return this.switchTo(() => undefined);
  }

  health(): SinkHealth | undefined {
    return this.#sink?.health();
  }

  /** The running sink's counters, with rows waiting on a switch counted as matched and queued. */
  metrics(): SinkMetrics | undefined {
    const m = this.#sink?.metrics();
    if (!m || this.#waiting === 0) return m;
    return { ...m, matched: m.matched + this.#waiting, queued: m.queued + this.#waiting };
  }
}
