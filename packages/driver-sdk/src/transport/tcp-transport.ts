import { connect } from 'node:net';
import { isWatershedError, type Clock } from '@watershed/common';
import { StreamConnection } from './stream-transport.js';
import type { LinkErrorFactory, Transport } from './transport.js';

const KEEPALIVE_MS = 10_000;

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Time allowed for the TCP handshake; on the injected clock. */
  connectTimeoutMs: number;
  clock: Clock;
  /** The driver's "not connected" error. */
  lost: LinkErrorFactory;
  /** The reason given when the handshake times out; default "connect timed out after N ms". */
  timeoutReason?: (ms: number) => string;
}

/**
 * A TCP client transport: one socket per `open`, Nagle off (field-protocol frames are small and
 * latency-bound), keepalive on once connected.
 */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  const description = `tcp://${opts.host}:${opts.port}`;
  const timeoutReason = opts.timeoutReason ?? ((ms) => `connect timed out after ${ms} ms`);
  return {
    description,
    open: (events) =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
        const timer = opts.clock.setTimeout(() => {
          socket.destroy(opts.lost(description, timeoutReason(opts.connectTimeoutMs)));
        }, opts.connectTimeoutMs);
        const onConnectError = (err: Error): void => {
          opts.clock.clearTimeout(timer);
          // The timeout above destroys the socket with the driver's own error: pass it on as is.
          reject(isWatershedError(err) ? err : opts.lost(description, err.message, err));
        };
        socket.once('error', onConnectError);
        socket.once('connect', () => {
          opts.clock.clearTimeout(timer);
          socket.off('error', onConnectError);
          // A device that vanishes without a FIN or RST (power cut, cable pulled) is otherwise
          // noticed only through timeouts; keepalive probes close the socket so the link reconnects.
          socket.setKeepAlive(true, KEEPALIVE_MS);
          resolve(new StreamConnection(socket, { description, lost: opts.lost }, events));
        });
      }),
  };
}
