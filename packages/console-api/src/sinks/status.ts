/**
 * What the sinks routes read from the process that runs the sinks (issue 8, "Rules and sinks").
 * console-api may not import sink-core (DESIGN: dependency direction); `apps/server`
 * implements this over its sink registry. Read-only: sinks are configured in the server's
 * config file today.
 */

export type SinkState = 'up' | 'down' | 'degraded';

export interface SinkHealthView {
  readonly state: SinkState;
  readonly detail?: string;
  /** True while the sink drops rows because its disk queue is full. */
  readonly alarm: boolean;
  /** Consecutive failed attempts of the batch being sent (0 after a success). */
  readonly failures: number;
  readonly lastError?: string;
}

/**
 * Row counts since the sink was started; `matched = success + failed + dropped + queued +
 * inflight` at every moment (DESIGN: Sink contract).
 */
export interface SinkMetricsView {
  readonly matched: number;
  readonly success: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queued: number;
  readonly inflight: number;
  readonly queuedMemory: number;
  readonly queuedDisk: number;
  readonly diskBytes: number;
  readonly recovered: number;
  readonly retries: number;
  readonly batches: number;
}

export interface SinkInfo {
  readonly id: string;
  /** `http`, `influx-line`, `postgres`, `nats-jetstream`, `mqtt-bridge`, `tsdb` … */
  readonly type: string;
  readonly health: SinkHealthView;
  readonly metrics: SinkMetricsView;
}

export interface SinkStatus {
  /** Every running sink, ordered by id. */
  list(): SinkInfo[];
  get(id: string): SinkInfo | undefined;
}
