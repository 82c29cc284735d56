/**
 * The link to one concentrator or DTU: owns the connection, the bus session on it, reconnection
 * with capped exponential backoff, and the health record (driver-sdk LinkState):
 *
 *   disconnected --start--> connecting --ok--> connected --lost--> backoff --timer--> connecting
 *                                      \--fail--> backoff                    close() --> closed
 *
 * Requests made while not connected reject at once with WS_ERR_CJT188_DISCONNECTED: a poll
 * then reports bad quality immediately and the next poll tries again.
 */
import type { Clock, Logger, TimerHandle } from '@watershed/common';
import type { DriverHealth, LinkState } from '@watershed/driver-sdk';
import type { Frame } from '../codec/frame.js';
import { Cjt188Errors } from '../errors.js';
import { BusSession, type Exchange } from './session.js';
import type { Connection, Transport } from './transport.js';

export interface LinkOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  preamble: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

interface Stats {
  requests: number;
  failures: number;
  timeouts: number;
  reconnects: number;
  lastRttMs?: number;
}

export class Link {
  readonly #opts: LinkOptions;
  #state: LinkState = 'disconnected';
  #since: number;
  #lastError: DriverHealth['lastError'];
  readonly #stats: Stats = { requests: 0, failures: 0, timeouts: 0, reconnects: 0 };
  #connection: Connection | undefined;
  #session: BusSession | undefined;
  #retryTimer: TimerHandle | undefined;
  #attempt: Promise<void> | undefined;
  #failuresInARow = 0;
  #closing: Promise<void> | undefined;
  readonly #stateWaiters = new Set<() => void>();

  constructor(opts: LinkOptions) {
    this.#opts = opts;
    this.#since = opts.clock.now();
  }

  get state(): LinkState {
    return this.#state;
  }

  get description(): string {
    return this.#opts.transport.description;
  }

  /** Makes the first connection attempt; resolves when it is done, whatever the outcome. */
  async start(): Promise<void> {
    if (this.#state !== 'disconnected') return this.#attempt;
    this.#attempt = this.#connect();
    await this.#attempt;
  }

  async request(frame: Omit<Frame, 'ser'>, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
    const session = this.#session;
    if (!session || this.#state !== 'connected') {
      throw this.#state === 'closed'
        ? Cjt188Errors.CLOSED.create(['driver'])
        : Cjt188Errors.DISCONNECTED.create([this.description, this.#lastError?.message ?? this.#state]);
    }
    this.#stats.requests++;
    try {
      const exchange = await session.exchange(frame, timeoutMs, signal);
      this.#stats.lastRttMs = exchange.rttMs;
      return exchange;
    } catch (err) {
      if (signal?.aborted) throw err;
      this.#stats.failures++;
      if (Cjt188Errors.TIMEOUT.is(err)) this.#stats.timeouts++;
      this.#recordError(err);
      throw err;
    }
  }

  health(): DriverHealth {
    return {
      state: this.#state,
      since: this.#since,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      stats: { ...this.#stats },
    };
  }

  async until(predicate: (s: LinkState) => boolean): Promise<void> {
    while (!predicate(this.#state)) {
      await new Promise<void>((resolve) => this.#stateWaiters.add(resolve));
    }
  }

  /** Idempotent: every call resolves once the connection and timers are released. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#setState('closed');
    if (this.#retryTimer) this.#opts.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#session?.fail(Cjt188Errors.CLOSED.create(['driver']));
    this.#session = undefined;
    const conn = this.#connection;
    this.#connection = undefined;
    // An attempt in progress sees the closed state when it settles and closes its own connection.
    await Promise.all([conn?.close(), this.#attempt?.catch(() => undefined)]);
  }

  async #connect(): Promise<void> {
    this.#setState('connecting');
    const ref: { session?: BusSession } = {};
    let connection: Connection | undefined;
    try {
      connection = await this.#opts.transport.open({
        onData: (chunk) => ref.session?.onData(chunk),
        onClose: (error) => {
          if (connection && this.#connection === connection) this.#onLost(error);
        },
      });
    } catch (err) {
      if (this.#state === 'closed') return;
      this.#recordError(err);
      this.#scheduleRetry();
      return;
    }
    if (this.#state === 'closed') {
      await connection.close();
      return;
    }
    const conn = connection;
    const session = new BusSession({
      clock: this.#opts.clock,
      preamble: this.#opts.preamble,
      send: (bytes) => conn.write(bytes),
    });
    this.#connection = conn;
    ref.session = session;
    this.#session = session;
    this.#failuresInARow = 0;
    this.#setState('connected');
    this.#opts.logger.info({ device: this.description }, 'CJ/T 188 link connected');
  }

  #onLost(error: Error | undefined): void {
    const err = error ?? Cjt188Errors.DISCONNECTED.create([this.description, 'connection lost']);
    this.#session?.fail(err);
    this.#session = undefined;
    this.#connection = undefined;
    if (this.#state === 'closed') return;
    this.#recordError(err);
    this.#opts.logger.warn({ device: this.description, err: err.message }, 'CJ/T 188 link lost');
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    // Capped exponential backoff: a dead DTU costs little, one that comes back is found within backoffMaxMs.
    const delay = Math.min(
      this.#opts.backoffMaxMs,
      this.#opts.backoffMinMs * 2 ** Math.min(this.#failuresInARow, 30),
    );
    this.#failuresInARow++;
    this.#setState('backoff');
    this.#retryTimer = this.#opts.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#stats.reconnects++;
      this.#attempt = this.#connect();
    }, delay);
    this.#retryTimer.unref?.();
  }

  #recordError(err: unknown): void {
    const code =
      typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'WS_ERR_INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    this.#lastError = { code, message, at: this.#opts.clock.now() };
  }

  #setState(state: LinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#since = this.#opts.clock.now();
    const waiters = [...this.#stateWaiters];
    this.#stateWaiters.clear();
    for (const w of waiters) w();
  }
}
