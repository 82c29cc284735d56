/**
 * One master (controlling station) link: the shared driver-sdk ReconnectingLink (connection,
 * capped exponential backoff, health) carrying an APCI session. States (driver-sdk LinkState):
 *
 *   disconnected --start--> connecting --STARTDT con--> connected --lost--> backoff --timer--> connecting
 *                                      \--fail (t0, t1, refused)--> backoff          close() --> closed
 *
 * `connected` means data transfer is started (IEC 60870-5-104 §5.3), not merely that TCP is up:
 * until then the outstation sends no data, so a connection without STARTDT con is of no use.
 */
import type { Clock, Logger } from '@watershed/common';
import { ReconnectingLink } from '@watershed/driver-sdk';
import { decodeAsdu, encodeAsdu, type Asdu, type DecodedAsdu } from '../codec/asdu.js';
import { Iec104Errors } from '../errors.js';
import { ApciSession, type ApciTimers } from '../link/apci-session.js';
import { iec104LinkLost, type Transport } from './transport.js';

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

export class MasterLink extends ReconnectingLink<ApciSession> {
  constructor(o: MasterLinkOptions) {
    const { clock, t1Ms, t2Ms, t3Ms, k, w } = o;
    super({
      name: 'IEC 104',
      transport: o.transport,
      clock,
      logger: o.logger,
      backoffMinMs: o.backoffMinMs,
      backoffMaxMs: o.backoffMaxMs,
      connectedOn: 'ready',
      errors: {
        disconnected: iec104LinkLost,
        closed: () => Iec104Errors.CLOSED.create(['driver']),
        isTimeout: (err) => Iec104Errors.COMMAND_TIMEOUT.is(err),
      },
      session: {
        create: (conn, control) =>
          new ApciSession({
            clock,
            t1Ms,
            t2Ms,
            t3Ms,
            k,
            w,
            role: 'controlling',
            send: (bytes) => conn.write(bytes),
            onAsdu: (bytes) => {
              let asdu: DecodedAsdu;
              try {
                asdu = decodeAsdu(bytes);
              } catch (err) {
                // The standard's answer to a broken link procedure: close the connection (§5.1, §5.2).
                control.drop(err as Error);
                return;
              }
              o.onAsdu(asdu);
            },
            onStarted: () => {
              control.ready();
              o.onStarted();
            },
            onFail: (err) => control.drop(err, Iec104Errors.T1_TIMEOUT.is(err)),
          }),
        // STARTDT act (§5.3); the link is connected when the outstation confirms it.
        start: (session) => session.start(),
        onData: (session, chunk) => session.onData(chunk),
        dispose: (session, err, wasConnected) => {
          session.dispose();
          if (wasConnected) o.onLost(err);
        },
      },
    });
  }

  /** Sends an ASDU, or throws WS_ERR_IEC104_DISCONNECTED when data transfer is not started. */
  send(asdu: Asdu): void {
    this.session().sendAsdu(encodeAsdu(asdu));
  }
}
