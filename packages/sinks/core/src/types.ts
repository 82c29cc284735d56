import type { Clock, Logger } from '@watershed/common';
import type { TSchema } from 'typebox';

/** One row handed to a sink: a rule output row (rule-engine `Row`) or a sample row. */
export type SinkRow = Readonly<Record<string, unknown>>;

/**
 * The integration-specific part of a sink, one per sink package: it sends ONE batch or throws.
 * Everything else (batching, queueing, spilling to disk, retry, health, metrics) is sink-core's.
 *
 * Lifecycle: `open` (optional) is called before the first `send` and retried with backoff like
 * `send`; `send` is called with at most one batch in flight per sink, in queue order; `close`
 * is called once, after the last `send` has settled.
 */
export interface SinkTransport {
  /** Connect / create the stream or table. Retried like `send` until it succeeds or the sink closes. */
  open?(signal: AbortSignal): Promise<void>;
  /**
   * Sends one batch, all or nothing. A batch may be sent again after a failure, a timeout or a
   * restart (at-least-once), so the peer must be idempotent-safe or dedupe downstream.
   * Throw SinkPermanentError for a batch that can never succeed; any other error is retried.
   * `signal` aborts when the sink is closing and its drain deadline has passed.
   */
  send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void>;
  /** The transport's own view (e.g. connection state); merged into the sink's health. */
  health?(): TransportHealth;
  close(): Promise<void>;
}

export interface TransportHealth {
  state: 'up' | 'down' | 'degraded';
  detail?: string;
}

/**
 * Throw this from `send()` for a batch that can never succeed (HTTP 400, a row the mapping
 * cannot express): its rows are counted `failed` and not retried. Any other error is retried.
 */
export class SinkPermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SinkPermanentError';
  }
}

/**
 * Throw this from `send()` (or `open()`) when the peer said when to try again (HTTP 429/503
 * `Retry-After`): the next attempt waits at least `retryAfterMs`, longer if the backoff says so.
 */
export class SinkRetryAfterError extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SinkRetryAfterError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** What a sink gets from its host. */
export interface SinkDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /** Where the disk queue lives: `dataDir/sinks/{id}.db`. */
  readonly dataDir: string;
  /** Called when a sink raises or clears an alarm (rows dropped because the disk queue is full). */
  readonly onAlarm?: (alarm: SinkAlarm) => void;
}

/** A sink type describes itself (STYLE: modules register with a schema). */
export interface SinkType<C = unknown> {
  /** 'http', 'influx-line', 'mqtt-bridge', 'nats-jetstream', 'postgres', 'tsdb' … */
  readonly type: string;
  readonly description: string;
  /** The type-specific config fields only (typebox); composed with `SinkCommonConfig`. */
  readonly configSchema: TSchema;
  createTransport(config: C, deps: SinkDeps): SinkTransport;
}

export type SinkState = 'up' | 'down' | 'degraded';

export interface SinkHealth {
  readonly state: SinkState;
  readonly detail?: string;
  /** True while the drop alarm is raised (see SinkAlarm). */
  readonly alarm: boolean;
  /** Consecutive failed attempts of the current batch (0 when the last attempt succeeded). */
  readonly failures: number;
  readonly lastError?: string;
}

/**
 * Row counts since this sink object was created. The identity
 * `matched = success + failed + dropped + queued + inflight` holds at every moment.
 * Rows recovered from the disk queue at start are counted in `matched` (and `recovered`).
 */
export interface SinkMetrics {
  /** Rows given to `write()` plus rows recovered from disk at start. */
  readonly matched: number;
  /** Rows in batches the peer acknowledged. */
  readonly success: number;
  /** Rows in batches rejected permanently (SinkPermanentError) or not serialisable. */
  readonly failed: number;
  /** Rows refused because the disk queue was full; each drop raises the alarm. */
  readonly dropped: number;
  /** Rows waiting (memory + disk), not counting the batch in flight. */
  readonly queued: number;
  /** Rows in the batch being sent. */
  readonly inflight: number;
  readonly queuedMemory: number;
  readonly queuedDisk: number;
  readonly diskBytes: number;
  readonly recovered: number;
  /** Failed attempts that were retried. */
  readonly retries: number;
  readonly batches: number;
}

export interface SinkAlarm {
  readonly sink: string;
  readonly kind: 'queue-full';
  /** true when raised, false when cleared (the disk queue fell below half its limit). */
  readonly active: boolean;
  readonly dropped: number;
  readonly detail: string;
}

/** A running sink: what the rule engine and the server hold. */
export interface Sink {
  readonly id: string;
  readonly type: string;
  /**
   * Accepts rows into the memory queue, or the disk queue when memory is full. Resolves once
   * accepted (or counted dropped when the disk queue is full too); never waits for the peer.
   * Rejects only after `close()`.
   */
  write(rows: readonly SinkRow[]): Promise<void>;
  /** Resolves when every row accepted before the call was acknowledged, failed or dropped. */
  flush(): Promise<void>;
  health(): SinkHealth;
  metrics(): SinkMetrics;
  /**
   * Stops taking rows, drains what it can within `closeTimeoutMs`, then aborts the batch in
   * flight and keeps every unsent row on disk for the next start. Idempotent.
   */
  close(): Promise<void>;
}
