/**
 * Byte transports under the bus session: a TCP socket to a concentrator or DTU (serial-over-TCP,
 * transparent), or any Duplex (a serial port, an in-memory pair in tests). They are the shared
 * driver-sdk transports, bound to this driver's catalog so a lost link reports
 * WS_ERR_CJT188_DISCONNECTED.
 */
import type { Duplex } from 'node:stream';
import type { Clock } from '@watershed/common';
import {
  createStreamTransport as createSdkStreamTransport,
  createTcpTransport as createSdkTcpTransport,
  type LinkErrorFactory,
  type Transport,
} from '@watershed/driver-sdk';
import { Cjt188Errors } from '../errors.js';

export type { Connection, ConnectionEvents, Transport } from '@watershed/driver-sdk';

export const cjt188LinkLost: LinkErrorFactory = (description, why, cause) =>
  Cjt188Errors.DISCONNECTED.create([description, why], undefined, cause);

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  clock: Clock;
}

/** One TCP socket per `open`; keepalive so a DTU that vanishes without a FIN is noticed. */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  return createSdkTcpTransport({ ...opts, lost: cjt188LinkLost });
}

export interface StreamTransportOptions {
  description: string;
  /** Opens a fresh stream for each connection; rejects when the device cannot be opened. */
  openStream(): Promise<Duplex>;
}

export function createStreamTransport(opts: StreamTransportOptions): Transport {
  return createSdkStreamTransport({ ...opts, lost: cjt188LinkLost });
}
