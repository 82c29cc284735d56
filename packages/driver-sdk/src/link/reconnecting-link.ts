/**
 * One device link, whatever the protocol: owns the connection, the protocol session on it,
 * reconnection with capped exponential backoff on the injected Clock, and the health record
 * (DriverHealth). States (LinkState):
 *
 *   disconnected --start--> connecting --ok--> connected --lost--> backoff --timer--> connecting
 *                                      \--fail--> backoff                    close() --> closed
 *
 * "ok" is the connection opening, or — for protocols that must first agree to talk, such as
 * IEC 104's STARTDT (IEC 60870-5-104 §5.3) — the session calling `ready()`
 * (`connectedOn: 'ready'`). The protocol lives in the session hooks; the link is the same for
 * every driver, and errors come from the driver's own catalog through `LinkErrors`.
 *
 * Requests made while not connected fail at once with the driver's DISCONNECTED error rather
 * than waiting: a poll cycle then reports bad quality immediately and the next cycle tries again.
 */
import type { Clock, Logger, TimerHandle } from '@watershed/common';
import type { DriverHealth, LinkState } from '../driver.js';
import type { Connection, LinkErrorFactory, Transport } from '../transport/transport.js';

export interface LinkErrors {
  /** The driver's WS_ERR_<PROTO>_DISCONNECTED. */
  disconnected: LinkErrorFactory;
  /** The driver's WS_ERR_<PROTO>_CLOSED, for requests after `close()`. */
  closed(): Error;
  /** Whether a failed request timed out (counted in `stats.timeouts`). */
  isTimeout?(err: unknown): boolean;
}

/** What a session may tell its link. */
export interface SessionControl {
  /** Data transfer is possible now; with `connectedOn: 'ready'` the link becomes `connected`. */
  ready(): void;
  /**
   * The connection is unusable (a broken procedure, an undecodable frame): drop it and reconnect.
   * `timedOut` books it in `stats.timeouts` (a link supervision timer expired).
   */
  drop(err: Error, timedOut?: boolean): void;
  /** Books an error in the health record without acting on it. */
  recordError(err: unknown): void;
}

export interface SessionHooks<S> {
  /** Makes the protocol session on a freshly opened connection. */
  create(connection: Connection, control: SessionControl): S;
  /** Called once the link has registered the session: a protocol handshake begins here. */
  start?(session: S): void;
  /** Bytes received on the session's connection. */
  onData(session: S, chunk: Uint8Array): void;
  /**
   * The session's connection is gone (`err` says why) or the link is closing: release its
   * timers and fail its pending work. `wasConnected` says whether the link had reached `connected`.
   */
  dispose(session: S, err: Error, wasConnected: boolean): void;
}

export interface ReconnectingLinkOptions<S> {
  /** The protocol's name for logs: "Modbus", "IEC 104" … */
  name: string;
  transport: Transport;
  clock: Clock;
  logger: Logger;
  backoffMinMs: number;
  backoffMaxMs: number;
  errors: LinkErrors;
  session: SessionHooks<S>;
  /** When the link counts as connected: once the transport opens (default), or on `ready()`. */
  connectedOn?: 'open' | 'ready';
}

interface Stats {
  requests: number;
  failures: number;
  timeouts: number;
  reconnects: number;
  lastRttMs?: number;
}

export class ReconnectingLink<S> {
  readonly #o: ReconnectingLinkOptions<S>;
  #state: LinkState = 'disconnected';
  #since: number;
  #lastError: DriverHealth['lastError'];
  readonly #stats: Stats = { requests: 0, failures: 0, timeouts: 0, reconnects: 0 };
  #connection: Connection | undefined;
  #session: S | undefined;
  #retryTimer: TimerHandle | undefined;
  #attempt: Promise<void> | undefined;
  #failuresInARow = 0;
  #closing: Promise<void> | undefined;
  readonly #stateWaiters = new Set<() => void>();

  constructor(opts: ReconnectingLinkOptions<S>) {
    this.#o = opts;
    this.#since = opts.clock.now();
  }

  get state(): LinkState {
    return this.#state;
  }

  get description(): string {
    return this.#o.transport.description;
  }

  /** Whether the transport is a shared bus that takes one request at a time. */
  get exclusive(): boolean {
    return this.#o.transport.exclusive ?? false;
  }

  /** Makes the first connection attempt; resolves once it is done (connected or failed). */
  async start(): Promise<void> {
    if (this.#state !== 'disconnected') return this.#attempt;
    this.#attempt = this.#connect();
    await this.#attempt;
    // With `connectedOn: 'ready'` the attempt ends with the connection open; wait for the verdict.
    await this.until((s) => s !== 'connecting');
  }

  /** The session of the current connection; throws the driver's DISCONNECTED/CLOSED when there is none. */
  session(): S {
    const session = this.#session;
    if (session === undefined || this.#state !== 'connected') throw this.notConnected();
    return session;
  }

  notConnected(): Error {
    return this.#state === 'closed'
      ? this.#o.errors.closed()
      : this.#o.errors.disconnected(this.description, this.#lastError?.message ?? this.#state);
  }

  /**
   * Runs one request on the current session and books it in the health stats. A request the
   * caller aborted says nothing about the device and is not counted as a failure.
   */
  async exchange<T extends { rttMs: number }>(
    run: (session: S) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const session = this.session();
    this.countRequest();
    try {
      const result = await run(session);
      this.countOutcome(result);
      return result;
    } catch (err) {
      if (!signal?.aborted) this.countOutcome({ error: err });
      throw err;
    }
  }

  /** Books one request; `countOutcome` books how it ended. For requests not run by `exchange`. */
  countRequest(): void {
    this.#stats.requests++;
  }

  countOutcome(result: { rttMs: number } | { error: unknown }): void {
    if ('rttMs' in result) {
      this.#stats.lastRttMs = result.rttMs;
      return;
    }
    this.#stats.failures++;
    if (this.#o.errors.isTimeout?.(result.error)) this.#stats.timeouts++;
    this.#recordError(result.error);
  }

  health(): DriverHealth {
    return {
      state: this.#state,
      since: this.#since,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      stats: { ...this.#stats },
    };
  }

  /** Resolves when `predicate(state)` holds; for tests and for callers that want to wait for a link. */
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
    const wasConnected = this.#state === 'connected';
    this.#setState('closed');
    if (this.#retryTimer) this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined) this.#o.session.dispose(session, this.#o.errors.closed(), wasConnected);
    const conn = this.#connection;
    this.#connection = undefined;
    // An attempt in progress sees the closed state when it settles and closes its own connection.
    await Promise.all([conn?.close(), this.#attempt?.catch(() => undefined)]);
  }

  async #connect(): Promise<void> {
    this.#setState('connecting');
    // The session is made once the connection exists; bytes arriving before that have no owner.
    const ref: { session?: S } = {};
    let connection: Connection | undefined;
    try {
      connection = await this.#o.transport.open({
        onData: (chunk) => {
          if (ref.session !== undefined) this.#o.session.onData(ref.session, chunk);
        },
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
    this.#connection = conn;
    const session = this.#o.session.create(conn, {
      ready: () => {
        if (this.#connection === conn) this.#connected();
      },
      drop: (err, timedOut) => this.#drop(conn, err, timedOut ?? false),
      recordError: (err) => this.#recordError(err),
    });
    ref.session = session;
    this.#session = session;
    if ((this.#o.connectedOn ?? 'open') === 'open') this.#connected();
    this.#o.session.start?.(session);
  }

  #connected(): void {
    if (this.#state === 'connected') return;
    this.#failuresInARow = 0;
    this.#setState('connected');
    this.#o.logger.info({ device: this.description }, `${this.#o.name} link connected`);
  }

  #drop(conn: Connection, err: Error, timedOut: boolean): void {
    if (this.#connection !== conn) return;
    if (timedOut) this.#stats.timeouts++;
    this.#o.logger.warn(
      { device: this.description, err: err.message },
      `${this.#o.name} link failed; reconnecting`,
    );
    this.#onLost(err);
    void conn.close();
  }

  #onLost(error: Error | undefined): void {
    const err = error ?? this.#o.errors.disconnected(this.description, 'connection lost');
    const wasConnected = this.#state === 'connected';
    const session = this.#session;
    this.#session = undefined;
    this.#connection = undefined;
    if (session !== undefined) this.#o.session.dispose(session, err, wasConnected);
    if (this.#state === 'closed') return;
    this.#recordError(err);
    this.#o.logger.warn({ device: this.description, err: err.message }, `${this.#o.name} link lost`);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    // Capped exponential backoff: min·2^n up to max, so a dead device costs little and a device
    // that comes back is found within `backoffMaxMs`.
    const delay = Math.min(
      this.#o.backoffMaxMs,
      this.#o.backoffMinMs * 2 ** Math.min(this.#failuresInARow, 30),
    );
    this.#failuresInARow++;
    this.#setState('backoff');
    this.#retryTimer = this.#o.clock.setTimeout(() => {
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
    this.#lastError = { code, message, at: this.#o.clock.now() };
  }

  #setState(state: LinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#since = this.#o.clock.now();
    const waiters = [...this.#stateWaiters];
    this.#stateWaiters.clear();
    for (const w of waiters) w();
  }
}
