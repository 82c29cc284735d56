/**
 * The link to one concentrator or DTU: the shared driver-sdk ReconnectingLink (connection, capped
 * exponential backoff, health) carrying a BusSession. Connected as soon as the transport opens:
 * CJ/T 188 has no handshake. Requests made while not connected reject at once with
 * WS_ERR_CJT188_DISCONNECTED: a poll then reports bad quality immediately and the next poll
 * tries again.
 */
import type { Clock, Logger } from '@watershed/common';
import { ReconnectingLink } from '@watershed/driver-sdk';
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

export class Link extends ReconnectingLink<BusSession> {
  constructor(opts: LinkOptions) {
    super({
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

  request(frame: Omit<Frame, 'ser'>, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
    return this.exchange((session) => session.exchange(frame, timeoutMs, signal), signal);
  }
}
