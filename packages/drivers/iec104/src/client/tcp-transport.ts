import type { Clock } from '@watershed/common';
import { createTcpTransport as createSdkTcpTransport } from '@watershed/driver-sdk';
import { iec104LinkLost, type Transport } from './transport.js';

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** t0: time-out of connection establishment (IEC 60870-5-104 §6.9, default 30 s). */
  t0Ms: number;
  clock: Clock;
}

/** A TCP client transport: one socket per `open`, Nagle off (APDUs are small and latency-bound). */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  return createSdkTcpTransport({
    host: opts.host,
    port: opts.port,
    connectTimeoutMs: opts.t0Ms,
    clock: opts.clock,
    lost: iec104LinkLost,
    timeoutReason: (ms) => `t0 expired after ${ms} ms`,
  });
}
