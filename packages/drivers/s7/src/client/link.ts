/**
 * The S7 link: the shared driver-sdk ReconnectingLink carrying an S7Session. The link counts as
 * connected once the Setup Communication is acknowledged — before that the PLC takes no jobs.
 */
import type { Clock, Logger } from '@watershed/common';
import { ReconnectingLink, type LinkErrorFactory, type Transport } from '@watershed/driver-sdk';
import { S7Errors } from '../errors.js';
import { S7Session } from './session.js';

export const s7LinkLost: LinkErrorFactory = (description, why, cause) =>
  S7Errors.DISCONNECTED.create([description, why], undefined, cause);

export interface S7LinkOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  localTsap: number;
  remoteTsap: number;
  pduSize: number;
  timeoutMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export class S7Link extends ReconnectingLink<S7Session> {
  constructor(o: S7LinkOptions) {
    super({
      name: 'S7',
      transport: o.transport,
      clock: o.clock,
      logger: o.logger,
      backoffMinMs: o.backoffMinMs,
      backoffMaxMs: o.backoffMaxMs,
      connectedOn: 'ready',
      errors: {
        disconnected: s7LinkLost,
        closed: () => S7Errors.CLOSED.create(['driver']),
        isTimeout: (err) => S7Errors.TIMEOUT.is(err),
      },
      session: {
        create: (conn, control) =>
          new S7Session({
            clock: o.clock,
            send: (bytes) => conn.write(bytes),
            description: o.transport.description,
            localTsap: o.localTsap,
            remoteTsap: o.remoteTsap,
            pduSize: o.pduSize,
            timeoutMs: o.timeoutMs,
            onReady: (pdu) => {
              o.logger.debug({ pduSize: pdu }, 'S7 communication set up');
              control.ready();
            },
            onFail: (err, timedOut) => control.drop(err, timedOut),
          }),
        start: (session) => session.start(),
        onData: (session, chunk) => session.onData(chunk),
        dispose: (session, err) => session.dispose(err),
      },
    });
  }
}
