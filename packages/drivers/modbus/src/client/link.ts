/**
 * One Modbus device link: the shared driver-sdk ReconnectingLink (connection, capped exponential
 * backoff, health) carrying a ClientSession. Connected as soon as the transport opens: Modbus has
 * no handshake. Requests made while not connected reject at once with WS_ERR_MODBUS_DISCONNECTED.
 */
import type { Clock, Logger } from '@watershed/common';
import { ReconnectingLink } from '@watershed/driver-sdk';
import type { Request } from '../codec/pdu.js';
import { ModbusErrors } from '../errors.js';
import type { Framing } from './framing.js';
import { ClientSession, type Exchange } from './session.js';
import { modbusLinkLost, type Transport } from './transport.js';

export interface LinkOptions {
  transport: Transport;
  framing: Framing;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  maxInFlight: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export class Link extends ReconnectingLink<ClientSession> {
  constructor(opts: LinkOptions) {
    super({
      name: 'Modbus',
      transport: opts.transport,
      clock: opts.clock,
      logger: opts.logger,
      backoffMinMs: opts.backoffMinMs,
      backoffMaxMs: opts.backoffMaxMs,
      errors: {
        disconnected: modbusLinkLost,
        closed: () => ModbusErrors.CLOSED.create(['driver']),
        isTimeout: (err) => ModbusErrors.TIMEOUT.is(err),
      },
      session: {
        create: (conn, control) =>
          new ClientSession({
            framing: opts.framing,
            clock: opts.clock,
            timeoutMs: opts.timeoutMs,
            maxInFlight: opts.transport.exclusive ? 1 : opts.maxInFlight,
            send: (bytes) => conn.write(bytes),
            onProtocolError: (err) => {
              opts.logger.warn(
                { err, device: opts.transport.description },
                'Modbus stream out of step; reconnecting',
              );
              // Closing reports the loss through the transport, which fails the requests in flight.
              control.recordError(err);
              void conn.close();
            },
          }),
        onData: (session, chunk) => session.onData(chunk),
        dispose: (session, err) => session.fail(err),
      },
    });
  }

  request(unitId: number, request: Request, signal?: AbortSignal): Promise<Exchange> {
    return this.exchange((session) => session.request(unitId, request, signal), signal);
  }
}
