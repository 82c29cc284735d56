/**
 * A Modbus transport over any Node Duplex stream (a serial port, a socket made elsewhere, an
 * in-memory pair in tests); `open` asks the factory for a fresh stream each time.
 */
import type { Duplex } from 'node:stream';
import { createStreamTransport as createSdkStreamTransport } from '@watershed/driver-sdk';
import { modbusLinkLost, type Transport } from './transport.js';

export interface StreamTransportOptions {
  description: string;
  /** Opens the stream; rejects when the device cannot be opened. */
  openStream(): Promise<Duplex>;
  /** A shared medium (an RS-485 bus): one request at a time across every unit on it. */
  exclusive?: boolean;
}

export function createStreamTransport(opts: StreamTransportOptions): Transport {
  return createSdkStreamTransport({ ...opts, lost: modbusLinkLost, closedReason: 'stream closed' });
}
