import { connect, type Socket } from 'node:net';
import type { Clock } from '@watershed/common';
import { Iec104Errors } from '../errors.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

const KEEPALIVE_MS = 10_000;

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** t0: time-out of connection establishment (IEC 60870-5-104 §6.9, default 30 s). */
  t0Ms: number;
  clock: Clock;
}

/** A TCP client transport: one socket per `open`, Nagle off (APDUs are small and latency-bound). */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  const description = `tcp://${opts.host}:${opts.port}`;
  return { description, open: (events) => openSocket(opts, description, events) };
}

function openSocket(
  opts: TcpTransportOptions,
  description: string,
  events: ConnectionEvents,
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
    const timer = opts.clock.setTimeout(() => {
      socket.destroy(Iec104Errors.DISCONNECTED.create([description, `t0 expired after ${opts.t0Ms} ms`]));
    }, opts.t0Ms);
    const onConnectError = (err: Error): void => {
      opts.clock.clearTimeout(timer);
      reject(Iec104Errors.DISCONNECTED.create([description, err.message], undefined, err));
    };
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      opts.clock.clearTimeout(timer);
      socket.setKeepAlive(true, KEEPALIVE_MS);
      socket.off('error', onConnectError);
      resolve(new TcpConnection(socket, description, events));
    });
  });
}

class TcpConnection implements Connection {
  readonly #socket: Socket;
  readonly #closed: Promise<void>;

  constructor(socket: Socket, description: string, events: ConnectionEvents) {
    this.#socket = socket;
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => events.onData(chunk));
    socket.on('error', (err) => {
      lastError = Iec104Errors.DISCONNECTED.create([description, err.message], undefined, err);
    });
    this.#closed = new Promise((resolve) => {
      socket.once('close', () => {
        events.onClose(
          lastError ?? Iec104Errors.DISCONNECTED.create([description, 'connection closed by peer']),
        );
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.#socket.destroyed) this.#socket.write(bytes);
  }

  async close(): Promise<void> {
    this.#socket.destroy();
    await this.#closed;
  }
}
