import type { Logger } from '@watershed/common';
import type { SampleRow } from '@watershed/store';
import type { LiveFeed } from '../routes/live.js';

/**
 * The simplest LiveFeed: whoever writes samples (the store sink of the rule engine, a test)
 * calls `publish`, and every subscriber gets the batch synchronously. A listener that throws is
 * logged and does not keep the batch from the others.
 */
export class LiveHub implements LiveFeed {
  readonly #listeners = new Set<(rows: readonly SampleRow[]) => void>();
  readonly #log: Logger | undefined;

  constructor(opts: { logger?: Logger } = {}) {
    this.#log = opts.logger;
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void {
    // Wrapped so the same function may subscribe twice and unsubscribe each time independently.
    const entry = (rows: readonly SampleRow[]): void => listener(rows);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  publish(rows: readonly SampleRow[]): void {
    if (rows.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(rows);
      } catch (err) {
        this.#log?.error({ err }, 'live listener failed');
      }
    }
  }
}
