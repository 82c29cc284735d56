/**
 * Byte transports under the bus session: a TCP socket to a concentrator or DTU (serial-over-TCP,
 * transparent), or any Duplex (a serial port, an in-memory pair in tests). The session never
 * sees a socket; it gets a Connection that writes bytes and reports data and loss.
 *
 * The same shape exists in driver-modbus and driver-iec104; drivers may not import each other
 * (DESIGN.md), so a shared home in driver-sdk is the follow-up, not a third copy of the logic.
 */
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isWatershedError, type Clock } from '@watershed/common';
import { Cjt188Errors } from '../errors.js';

export interface ConnectionEvents {
  onData(chunk: Uint8Array): void;
  /** Called once when the link is lost or closed; `error` says why. */
  onClose(error?: Error): void;
}

export interface Connection {
  write(bytes: Uint8Array): void;
  /** Closes the link and resolves once its resources are released; idempotent. */
  close(): Promise<void>;
}

export interface Transport {
  /** "tcp://host:port", "serial:/dev/ttyS0@2400" …: for logs and error messages. */
  readonly description: string;
  /** Opens one connection, or rejects with a WatershedError. */
  open(events: ConnectionEvents): Promise<Connection>;
}

const lost = (description: string, why: string, cause?: unknown): Error =>
  Cjt188Errors.DISCONNECTED.create([description, why], undefined, cause);

export interface TcpTransportOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  clock: Clock;
}

/** One TCP socket per `open`; keepalive so a DTU that vanishes without a FIN is noticed. */
export function createTcpTransport(opts: TcpTransportOptions): Transport {
  const description = `tcp://${opts.host}:${opts.port}`;
  return {
    description,
    open: (events) =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
        const timer = opts.clock.setTimeout(() => {
          socket.destroy(lost(description, `connect timed out after ${opts.connectTimeoutMs} ms`));
        }, opts.connectTimeoutMs);
        const onConnectError = (err: Error): void => {
          opts.clock.clearTimeout(timer);
          reject(isWatershedError(err) ? err : lost(description, err.message, err));
        };
        socket.once('error', onConnectError);
        socket.once('connect', () => {
          opts.clock.clearTimeout(timer);
          socket.off('error', onConnectError);
          socket.setKeepAlive(true, 10_000);
          resolve(new StreamConnection(socket, description, events));
        });
      }),
  };
}

export interface StreamTransportOptions {
  description: string;
  /** Opens a fresh stream for each connection; rejects when the device cannot be opened. */
  openStream(): Promise<Duplex>;
}

export function createStreamTransport(opts: StreamTransportOptions): Transport {
  return {
    description: opts.description,
    async open(events) {
      let stream: Duplex;
      try {
        stream = await opts.openStream();
      } catch (err) {
        if (isWatershedError(err)) throw err;
        throw lost(opts.description, (err as Error).message, err);
      }
      return new StreamConnection(stream, opts.description, events);
    },
  };
}

class StreamConnection implements Connection {
  readonly #stream: Duplex | Socket;
  readonly #closed: Promise<void>;

  constructor(stream: Duplex | Socket, description: string, events: ConnectionEvents) {
    this.#stream = stream;
    let lastError: Error | undefined;
    stream.on('data', (chunk: Buffer) => events.onData(chunk));
    stream.on('error', (err) => {
      lastError = lost(description, err.message, err);
    });
    this.#closed = new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        events.onClose(lastError ?? lost(description, 'connection closed by peer'));
        resolve();
      };
      stream.once('close', finish);
      // A stream that ends without 'close' (autoDestroy off) still counts as lost.
      stream.once('end', () => {
        stream.destroy();
        finish();
      });
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.#stream.destroyed) this.#stream.write(bytes);
  }

  async close(): Promise<void> {
    this.#stream.destroy();
    await this.#closed;
  }
}
