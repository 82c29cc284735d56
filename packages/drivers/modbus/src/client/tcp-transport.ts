import { connect, type Socket } from 'node:net';
import type { Clock } from '@watershed/common';
import { ModbusErrors } from '../errors.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

const KEEPALIVE_MS = 10_000;

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  clock: Clock;
}

/** A TCP client transport: one socket per `open`, Nagle off (Modbus frames are small and latency-bound). */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  const description = `tcp://${opts.host}:${opts.port}`;
  return {
    description,
    open: (events) => openSocket(opts, description, events),
  };
}

function openSocket(
  opts: TcpTransportOptions,
  description: string,
  events: ConnectionEvents,
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
    const timer = opts.clock.setTimeout(() => {
      socket.destroy(
        ModbusErrors.DISCONNECTED.create([
          description,
          `connect timed out after ${opts.connectTimeoutMs} ms`,
        ]),
      );
    }, opts.connectTimeoutMs);
    const onConnectError = (err: Error): void => {
      opts.clock.clearTimeout(timer);
      reject(ModbusErrors.DISCONNECTED.create([description, err.message], undefined, err));
    };
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      opts.clock.clearTimeout(timer);
      // A device that vanishes without a FIN or RST (power cut, cable pulled) is otherwise noticed
      // only through timeouts; keepalive probes close the socket so the link reconnects.
      socket.setKeepAlive(true, KEEPALIVE_MS);
      socket.off('error', onConnectError);
      resolve(new TcpConnection(socket, description, events));
    });
  });
}

class TcpConnection implements Connection {
  readonly #socket: Socket;
  #closed: Promise<void>;

  constructor(socket: Socket, description: string, events: ConnectionEvents) {
    this.#socket = socket;
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => events.onData(chunk));
    socket.on('error', (err) => {
      lastError = ModbusErrors.DISCONNECTED.create([description, err.message], undefined, err);
    });
    this.#closed = new Promise((resolve) => {
      socket.once('close', () => {
        events.onClose(
          lastError ?? ModbusErrors.DISCONNECTED.create([description, 'connection closed by peer']),
        );
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  async close(): Promise<void> {
    this.#socket.destroy();
    await this.#closed;
  }
}
