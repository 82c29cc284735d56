/**
 * The link to one concentrator or DTU: the shared driver-sdk ReconnectingLink (connection, capped
 * exponential backoff, health) carrying a BusSession. Connected as soon as the transport opens:
 * CJ/T 188 has no handshake. Requests made while not connected reject at once with
 * WS_ERR_CJT188_DISCONNECTED: a poll then reports bad quality immediately and the next poll
 * tries again.
 */
import type { Clock, Logger } from '@watershed/common';
import { ReconnectingLink, type DriverHealth, type LinkState } from '@watershed/driver-sdk';
import type { Frame } from '../codec/frame.js';
import { Cjt188Errors } from '../errors.js';
import { BusSession, type Exchange } from './session.js';
import { cjt188LinkLost, type Transport } from './transport.js';

export interface LinkOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  preamble: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export class Link {
  readonly #link: ReconnectingLink<BusSession>;

  constructor(opts: LinkOptions) {
    this.#link = new ReconnectingLink<BusSession>({
      name: 'CJ/T 188',
      transport: opts.transport,
      clock: opts.clock,
      logger: opts.logger,
      backoffMinMs: opts.backoffMinMs,
      backoffMaxMs: opts.backoffMaxMs,
      errors: {
        disconnected: cjt188LinkLost,
        closed: () => Cjt188Errors.CLOSED.create(['driver']),
        isTimeout: (err) => Cjt188Errors.TIMEOUT.is(err),
      },
      session: {
        create: (conn) =>
          new BusSession({
            clock: opts.clock,
            preamble: opts.preamble,
            send: (bytes) => conn.write(bytes),
          }),
        onData: (session, chunk) => session.onData(chunk),
        dispose: (session, err) => session.fail(err),
      },
    });
  }

  get state(): LinkState {
    return this.#link.state;
  }

  get description(): string {
    return this.#link.description;
  }

  /** Makes the first connection attempt; resolves when it is done, whatever the outcome. */
  start(): Promise<void> {
    return this.#link.start();
  }

  request(frame: Omit<Frame, 'ser'>, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
    return this.#link.exchange((session) => session.exchange(frame, timeoutMs, signal), signal);
  }

  health(): DriverHealth {
    return this.#link.health();
  }

  until(predicate: (s: LinkState) => boolean): Promise<void> {
    return this.#link.until(predicate);
  }

  /** Idempotent: every call resolves once the connection and timers are released. */
  close(): Promise<void> {
    return this.#link.close();
  }
}
