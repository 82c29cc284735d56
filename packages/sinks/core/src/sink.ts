import { join } from 'node:path';
import { Type } from 'typebox';
import { sleep, type Clock, type Logger, type TimerHandle } from '@watershed/common';
import { backoffDelay } from './backoff.js';
import { parseSinkConfig, type SinkCommonConfig, type SinkInput } from './config.js';
import { SinkErrors } from './errors.js';
import { RowQueue, type QueuedBatch } from './row-queue.js';
import {
  SinkPermanentError,
  SinkRetryAfterError,
  type Sink,
  type SinkAlarm,
  type SinkDeps,
  type SinkHealth,
  type SinkMetrics,
  type SinkRow,
  type SinkTransport,
  type SinkType,
} from './types.js';

/** How long close() waits for a transport that ignores its abort signal before giving up on it. */
const ABORT_GRACE_MS = 1_000;

/**
 * Creates a sink of a registered type: validates `config` against the type's composed schema
 * (defaults filled), builds its transport and opens its disk queue at `dataDir/sinks/{id}.db`.
 * Rows left there by the previous run are sent first.
 */
export function createSink<C>(
  sinkType: SinkType<C>,
  // Fields with schema defaults may be left out; the schema check below names what is missing.
  config: SinkInput<Partial<C>>,
  deps: SinkDeps,
): Sink {
  const full = parseSinkConfig(sinkType, { ...config, type: sinkType.type }, `sink ${config.id}`);
  const transport = sinkType.createTransport(full, deps);
  return new QueuedSink(sinkType.type, full, transport, deps);
}

/** The same queueing sink around a transport built by the caller (tests, composition roots). */
export function createSinkWithTransport(
  options: { type: string } & SinkInput<object>,
  transport: SinkTransport,
  deps: SinkDeps,
): Sink {
  const typeOnly: SinkType = {
    type: options.type,
    description: options.type,
    configSchema: Type.Object({}),
    createTransport: () => transport,
  };
  const { type: _t, ...rest } = options;
  const full = parseSinkConfig(typeOnly, { ...pickCommon(rest), type: options.type }, `sink ${options.id}`);
  return new QueuedSink(options.type, full, transport, deps);
}

function pickCommon(o: Record<string, unknown>): Record<string, unknown> {
  const keys = ['id', 'batch', 'queue', 'retry', 'closeTimeoutMs'];
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}

type Outcome = 'ok' | 'failed' | 'aborted';

interface Waiter {
  readonly target: number;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Batching, the memory→disk queue, retry and accounting around one transport.
 *
 * One pump sends one batch at a time in queue order (order per point follows), retrying a
 * failed batch with exponential backoff until it succeeds, fails permanently, or the sink
 * closes. The pump starts when `batch.maxRows` rows are waiting, when the first row waited
 * `batch.maxDelayMs`, on flush() and on close(); it then sends until the queue is empty.
 */
class QueuedSink implements Sink {
  readonly id: string;
  readonly type: string;
  readonly #cfg: SinkCommonConfig;
  readonly #transport: SinkTransport;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onAlarm: ((a: SinkAlarm) => void) | undefined;
  readonly #queue: RowQueue;
  readonly #abort = new AbortController();
  #inflight: QueuedBatch | undefined;
  #pump: Promise<void> | undefined;
  #timer: TimerHandle | undefined;
  #opened = false;
  #closing: Promise<void> | undefined;
  #urgent = false;
  // Accounting (see SinkMetrics). `enqueued` and `dequeued` order flush() waiters: FIFO
  // delivery means every row enqueued before a flush is settled once `dequeued` reaches it.
  #matched = 0;
  #success = 0;
  #failed = 0;
  #dropped = 0;
  #recovered = 0;
  #retries = 0;
  #batches = 0;
  #enqueued = 0;
  #dequeued = 0;
  #failures = 0;
  #lastError: string | undefined;
  #alarm = false;
  #waiters: Waiter[] = [];

  constructor(type: string, cfg: SinkCommonConfig, transport: SinkTransport, deps: SinkDeps) {
    this.id = cfg.id;
    this.type = type;
    this.#cfg = cfg;
    this.#transport = transport;
    this.#clock = deps.clock;
    this.#log = deps.logger.child({ sink: cfg.id, sinkType: type });
    this.#onAlarm = deps.onAlarm;
    this.#queue = new RowQueue(
      join(deps.dataDir, 'sinks', `${cfg.id}.db`),
      cfg.queue.memoryRows,
      cfg.queue.diskMaxBytes,
    );
    this.#recovered = this.#queue.size;
    this.#matched = this.#enqueued = this.#recovered;
    if (this.#recovered > 0) {
      this.#log.info({ rows: this.#recovered }, 'resending rows kept on disk by the previous run');
      this.#schedule();
    }
  }

  write(rows: readonly SinkRow[]): Promise<void> {
    if (this.#closing) return Promise.reject(SinkErrors.CLOSED.create([this.id]));
    if (rows.length === 0) return Promise.resolve();
    this.#matched += rows.length;
    const r = this.#queue.push(rows);
    const accepted = rows.length - r.dropped - r.unserialisable;
    this.#enqueued += accepted;
    if (r.unserialisable > 0) {
      this.#failed += r.unserialisable;
      const err = SinkErrors.ROW_NOT_SERIALISABLE.create([this.id, r.firstError ?? '']);
      this.#log.warn({ code: err.code, rows: r.unserialisable }, `${err.message}; counted failed`);
    }
    if (r.dropped > 0) this.#drop(r.dropped, r.diskError);
    if (accepted > 0) this.#schedule();
    return Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.#dequeued >= this.#enqueued) return Promise.resolve();
    if (this.#abort.signal.aborted) return Promise.reject(SinkErrors.CLOSED.create([this.id]));
    const target = this.#enqueued;
    this.#urgent = true;
    this.#schedule();
    return new Promise((resolve, reject) => this.#waiters.push({ target, resolve, reject }));
  }

  health(): SinkHealth {
    const base = { alarm: this.#alarm, failures: this.#failures };
    const withError = this.#lastError === undefined ? base : { ...base, lastError: this.#lastError };
    if (this.#closing) return { ...withError, state: 'down', detail: 'closed' };
    if (this.#alarm) {
      const detail = `disk queue full: ${this.#dropped} rows dropped (limit ${this.#cfg.queue.diskMaxBytes} bytes)`;
      return { ...withError, state: 'degraded', detail };
    }
    if (this.#failures > 0) {
      const detail = `retrying after ${this.#failures} failed attempts: ${this.#lastError ?? ''}`;
      return { ...withError, state: 'down', detail };
    }
    const t = this.#transport.health?.();
    if (t && t.state !== 'up') return { ...withError, state: t.state, detail: t.detail ?? t.state };
    return { ...withError, state: 'up' };
  }

  metrics(): SinkMetrics {
    const inflight = this.#inflight?.rows.length ?? 0;
    const inflightOnDisk = this.#inflight?.slice ? inflight : 0;
    const queuedDisk = this.#queue.diskCount - inflightOnDisk;
    const queuedMemory = this.#queue.memoryCount;
    return {
      matched: this.#matched,
      success: this.#success,
      failed: this.#failed,
      dropped: this.#dropped,
      queued: queuedMemory + queuedDisk,
      inflight,
      queuedMemory,
      queuedDisk,
      diskBytes: this.#queue.diskBytes,
      recovered: this.#recovered,
      retries: this.#retries,
      batches: this.#batches,
    };
  }

  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    this.#clearTimer();
    // Drain within the deadline: send what the peer takes, then abort the batch in flight.
    if (this.#queue.size > 0 || this.#inflight) {
      const drained = this.#drainWaiter();
      const deadline = new AbortController();
      await Promise.race([drained, sleep(this.#clock, this.#cfg.closeTimeoutMs, deadline.signal)]).catch(
        () => undefined,
      );
      deadline.abort();
    }
    this.#abort.abort(SinkErrors.CLOSED.create([this.id]));
    if (this.#pump) {
      const grace = new AbortController();
      await Promise.race([this.#pump, sleep(this.#clock, ABORT_GRACE_MS, grace.signal)]).catch(
        () => undefined,
      );
      grace.abort();
    }
    const left =
      this.#queue.size + (this.#inflight && !this.#inflight.slice ? this.#inflight.rows.length : 0);
    this.#queue.persist(this.#inflight);
    this.#inflight = undefined;
    if (left > 0) this.#log.info({ rows: left }, 'sink closed; unsent rows kept on disk for the next start');
    try {
      await this.#transport.close();
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'transport close failed');
    }
    this.#queue.close();
    const err = SinkErrors.CLOSED.create([this.id]);
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }

  /** Resolves when everything queued so far is settled (used by close; never rejects). */
  #drainWaiter(): Promise<void> {
    return this.flush().catch(() => undefined);
  }

  #drop(n: number, diskError: string | undefined): void {
    this.#dropped += n;
    if (!this.#alarm) {
      this.#alarm = true;
      const err = diskError
        ? SinkErrors.DISK_ERROR.create([this.id, diskError, this.#dropped])
        : SinkErrors.QUEUE_FULL.create([
            this.id,
            this.#queue.diskBytes,
            this.#cfg.queue.diskMaxBytes,
            this.#dropped,
          ]);
      this.#log.error({ code: err.code, dropped: this.#dropped }, err.message);
      this.#emitAlarm(true, err.message);
    } else {
      this.#log.debug({ rows: n, dropped: this.#dropped }, 'rows dropped: disk queue full');
    }
  }

  #maybeClearAlarm(): void {
    if (!this.#alarm || !this.#queue.belowLowWater) return;
    this.#alarm = false;
    const detail = `disk queue below half its limit again; ${this.#dropped} rows were dropped in total`;
    this.#log.warn({ dropped: this.#dropped }, detail);
    this.#emitAlarm(false, detail);
  }

  #emitAlarm(active: boolean, detail: string): void {
    try {
      this.#onAlarm?.({ sink: this.id, kind: 'queue-full', active, dropped: this.#dropped, detail });
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'alarm callback threw');
    }
  }

  /** Starts the pump now (a full batch, a flush, a restart backlog) or after maxDelayMs. */
  #schedule(): void {
    if (this.#pump || this.#abort.signal.aborted) return;
    const due = this.#urgent || this.#closing !== undefined || this.#cfg.batch.maxDelayMs === 0;
    if (due || this.#queue.size >= this.#cfg.batch.maxRows) {
      this.#clearTimer();
      this.#startPump();
    } else {
      this.#timer ??= this.#clock.setTimeout(() => {
        this.#timer = undefined;
        this.#startPump();
      }, this.#cfg.batch.maxDelayMs);
    }
  }

  #clearTimer(): void {
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #startPump(): void {
    if (this.#pump || this.#abort.signal.aborted) return;
    this.#pump = this.#run().finally(() => {
      this.#pump = undefined;
    });
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    try {
      while (!signal.aborted) {
        if (!this.#opened && this.#transport.open) {
          const open = this.#transport.open.bind(this.#transport);
          if ((await this.#attempt('open', () => open(signal))) !== 'ok') return;
        }
        this.#opened = true;
        const batch = this.#queue.take(this.#cfg.batch.maxRows);
        if (!batch) break;
        this.#inflight = batch;
        const outcome = await this.#attempt('send', () => this.#transport.send(batch.rows, signal));
        if (outcome === 'aborted') return; // close() keeps the batch on disk
        this.#queue.ack(batch);
        this.#inflight = undefined;
        this.#dequeued += batch.rows.length;
        this.#batches++;
        if (outcome === 'ok') this.#success += batch.rows.length;
        else this.#failed += batch.rows.length;
        this.#maybeClearAlarm();
        this.#settleWaiters();
      }
      this.#urgent = false;
    } catch (err) {
      // Only a bug or a broken disk gets here; the rows stay queued for the next pump or start.
      this.#log.error({ err: (err as Error).message }, 'sink pump stopped');
    }
  }

  /** Runs `fn` until it succeeds, throws SinkPermanentError (send only) or the sink closes. */
  async #attempt(what: 'open' | 'send', fn: () => Promise<void>): Promise<Outcome> {
    const signal = this.#abort.signal;
    for (let attempt = 1; ; attempt++) {
      try {
        await fn();
        if (this.#failures > 0) this.#log.info({ after: this.#failures }, `${what} succeeded again`);
        this.#failures = 0;
        this.#lastError = undefined;
        return 'ok';
      } catch (err) {
        if (signal.aborted) return 'aborted';
        const message = (err as Error).message;
        this.#lastError = message;
        if (err instanceof SinkPermanentError && what === 'send') {
          this.#failures = 0; // the peer answered: it is up, this batch is what is wrong
          this.#log.warn(
            { err: message, rows: this.#inflight?.rows.length },
            'batch rejected; rows counted failed',
          );
          return 'failed';
        }
        this.#failures = attempt;
        this.#retries++;
        // The peer's own Retry-After wins over a shorter backoff (RFC 9110 §10.2.3), up to an hour.
        const hinted = err instanceof SinkRetryAfterError ? Math.min(err.retryAfterMs, 3_600_000) : 0;
        const delay = Math.max(
          hinted,
          backoffDelay(attempt, this.#cfg.retry.initialMs, this.#cfg.retry.maxMs),
        );
        const level = attempt === 1 ? 'warn' : 'debug';
        this.#log[level]({ err: message, attempt, retryInMs: delay }, `${what} failed; retrying`);
        try {
          await sleep(this.#clock, delay, signal);
        } catch {
          return 'aborted';
        }
      }
    }
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (this.#dequeued >= w.target) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }
}
