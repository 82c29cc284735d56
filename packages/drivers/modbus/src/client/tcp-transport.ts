import type { Clock } from '@watershed/common';
import { createTcpTransport as createSdkTcpTransport } from '@watershed/driver-sdk';
import { modbusLinkLost, type Transport } from './transport.js';

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  clock: Clock;
}

/** Modbus TCP: one socket per `open`, Nagle off (frames are small and latency-bound), keepalive on. */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  return createSdkTcpTransport({ ...opts, lost: modbusLinkLost });
}
