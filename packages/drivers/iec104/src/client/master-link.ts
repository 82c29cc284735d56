/**
 * One master (controlling station) link: owns the TCP connection, the APCI session on it,
 * reconnection with capped exponential backoff, and the health record. States (driver-sdk LinkState):
 *
 *   disconnected --start--> connecting --STARTDT con--> connected --lost--> backoff --timer--> connecting
 *                                      \--fail (t0, t1, refused)--> backoff          close() --> closed
 *
 * `connected` means data transfer is started (IEC 60870-5-104 §5.3), not merely that TCP is up:
 * until then the outstation sends no data, so a connection without STARTDT con is of no use.
 */
import type { Clock, Logger, TimerHandle } from '@watershed/common';
import type { DriverHealth, LinkState } from '@watershed/driver-sdk';
import { decodeAsdu, encodeAsdu, type Asdu, type DecodedAsdu } from '../codec/asdu.js';
import { Iec104Errors } from '../errors.js';
import { ApciSession, type ApciTimers } from '../link/apci-session.js';
import type { Connection, Transport } from './transport.js';

export interface MasterLinkOptions extends ApciTimers {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  backoffMinMs: number;
  backoffMaxMs: number;
  onAsdu(asdu: DecodedAsdu): void;
  /** Data transfer started on a new connection. */
  onStarted(): void;
  /** The connection is gone (or the link closed); pending work should fail with `err`. */
  onLost(err: Error): void;
}

interface Stats {
  requests: number;
  failures: number;
  timeouts: number;
  reconnects: number;
  lastRttMs?: number;
}

export class MasterLink {
  readonly #o: MasterLinkOptions;
  #state: LinkState = 'disconnected';
  #since: number;
  #lastError: DriverHealth['lastError'];
  readonly #stats: Stats = { requests: 0, failures: 0, timeouts: 0, reconnects: 0 };
  #connection: Connection | undefined;
  #session: ApciSession | undefined;
  #retryTimer: TimerHandle | undefined;
  #attempt: Promise<void> | undefined;
  #failuresInARow = 0;
  #closing: Promise<void> | undefined;
  readonly #stateWaiters = new Set<() => void>();

  constructor(opts: MasterLinkOptions) {
    this.#o = opts;
    this.#since = opts.clock.now();
  }

  get state(): LinkState {
    return this.#state;
  }

  get description(): string {
    return this.#o.transport.description;
  }

  /** Makes the first connection attempt; resolves once it is done (started or failed). */
  async start(): Promise<void> {
    if (this.#state !== 'disconnected') return;
    this.#attempt = this.#connect();
    await this.#attempt;
    await this.until((s) => s !== 'connecting');
  }

  /** Sends an ASDU, or throws WS_ERR_IEC104_DISCONNECTED when data transfer is not started. */
  send(asdu: Asdu): void {
    const session = this.#session;
    if (!session || this.#state !== 'connected') throw this.notConnected();
    session.sendAsdu(encodeAsdu(asdu));
  }

  notConnected(): Error {
    return this.#state === 'closed'
      ? Iec104Errors.CLOSED.create(['driver'])
      : Iec104Errors.DISCONNECTED.create([this.description, this.#lastError?.message ?? this.#state]);
  }

  /** Books one request (command or interrogation) and its outcome in the health stats. */
  countRequest(): void {
    this.#stats.requests++;
  }

  countOutcome(result: { rttMs: number } | { error: unknown }): void {
    if ('rttMs' in result) {
      this.#stats.lastRttMs = result.rttMs;
      return;
    }
    this.#stats.failures++;
    if (Iec104Errors.COMMAND_TIMEOUT.is(result.error)) this.#stats.timeouts++;
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
    const wasUp = this.#state === 'connected';
    this.#setState('closed');
    if (this.#retryTimer) this.#o.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#session?.dispose();
    this.#session = undefined;
    const conn = this.#connection;
    this.#connection = undefined;
    if (wasUp) this.#o.onLost(Iec104Errors.CLOSED.create(['driver']));
    await Promise.all([conn?.close(), this.#attempt?.catch(() => undefined)]);
  }

  async #connect(): Promise<void> {
    this.#setState('connecting');
    const ref: { session?: ApciSession } = {};
    let connection: Connection | undefined;
    try {
      connection = await this.#o.transport.open({
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
    const { clock, t1Ms, t2Ms, t3Ms, k, w } = this.#o;
    const session = new ApciSession({
      clock,
      t1Ms,
      t2Ms,
      t3Ms,
      k,
      w,
      role: 'controlling',
      send: (bytes) => conn.write(bytes),
      onAsdu: (bytes) => this.#onAsdu(bytes, conn),
      onStarted: () => {
        this.#failuresInARow = 0;
        this.#setState('connected');
        this.#o.logger.info({ device: this.description }, 'IEC 104 data transfer started');
        this.#o.onStarted();
      },
      onFail: (err) => this.#drop(conn, err),
    });
    this.#connection = conn;
    ref.session = session;
    this.#session = session;
    session.start();
  }

  #onAsdu(bytes: Uint8Array, conn: Connection): void {
    let asdu: DecodedAsdu;
    try {
      asdu = decodeAsdu(bytes);
    } catch (err) {
      this.#drop(conn, err as Error);
      return;
    }
    this.#o.onAsdu(asdu);
  }

  /** The standard's answer to a broken link procedure: close the connection (§5.1, §5.2). */
  #drop(conn: Connection, err: Error): void {
    if (this.#connection !== conn) return;
    this.#o.logger.warn({ device: this.description, err: err.message }, 'IEC 104 link failed; reconnecting');
    if (Iec104Errors.T1_TIMEOUT.is(err)) this.#stats.timeouts++;
    this.#onLost(err);
    void conn.close();
  }

  #onLost(error: Error | undefined): void {
    const err = error ?? Iec104Errors.DISCONNECTED.create([this.description, 'connection lost']);
    const wasUp = this.#state === 'connected';
    this.#session?.dispose();
    this.#session = undefined;
    this.#connection = undefined;
    if (this.#state === 'closed') return;
    this.#recordError(err);
    if (wasUp) this.#o.onLost(err);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    // Capped exponential backoff: min·2^n up to max.
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
