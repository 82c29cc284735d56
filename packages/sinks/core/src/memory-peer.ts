import type { SinkRow, SinkTransport } from './types.js';
import { SinkPermanentError } from './types.js';

/**
 * An in-process peer and its transport, for tests of sink-core and of code that uses sinks:
 * `stop()` makes sends fail like a refused connection, `start()` heals it; rows with
 * `reject: true` are refused permanently, like an HTTP 400.
 */
export class MemoryPeer {
  readonly #rows: SinkRow[] = [];
  readonly #batches: number[] = [];
  #up = true;
  #failNext = 0;

  /** A transport sending to this peer; each call returns a new one (e.g. after a restart). */
  transport(): SinkTransport & { sends: number } {
    const accept = (batch: readonly SinkRow[]): Promise<void> => this.#accept(batch);
    return {
      sends: 0,
      send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void> {
        this.sends++;
        if (signal.aborted) return Promise.reject(signal.reason as Error);
        return accept(batch);
      },
      close: () => Promise.resolve(),
    };
  }

  /** Rows received so far, in arrival order. */
  received(): Promise<SinkRow[]> {
    return Promise.resolve([...this.#rows]);
  }

  /** Sizes of the batches received, in order. */
  batchSizes(): readonly number[] {
    return this.#batches;
  }

  stop(): Promise<void> {
    this.#up = false;
    return Promise.resolve();
  }

  start(): Promise<void> {
    this.#up = true;
    return Promise.resolve();
  }

  /** The next `n` sends fail with a transient error. */
  failNext(n: number): void {
    this.#failNext = n;
  }

  #accept(batch: readonly SinkRow[]): Promise<void> {
    if (!this.#up)
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED (peer stopped)'), { code: 'ECONNREFUSED' }),
      );
    if (this.#failNext > 0) {
      this.#failNext--;
      return Promise.reject(new Error('transient failure'));
    }
    if (batch.some((r) => r['reject'] === true)) {
      return Promise.reject(new SinkPermanentError('peer rejected the batch (row with reject: true)'));
    }
    this.#rows.push(...batch);
    this.#batches.push(batch.length);
    return Promise.resolve();
  }
}
