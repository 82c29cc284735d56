/**
 * A transport over any Node Duplex stream: a serial port (serialport's SerialPort is a Duplex), a
 * TCP socket, or an in-memory pair in tests. `open` asks a factory for a fresh stream each time,
 * so reconnection works the same as for TCP.
 */
import type { Duplex } from 'node:stream';
import { isWatershedError } from '@watershed/common';
import type { Connection, ConnectionEvents, LinkErrorFactory, Transport } from './transport.js';

export interface StreamTransportOptions {
  description: string;
  /** Opens the stream; rejects when the device cannot be opened. */
  openStream(): Promise<Duplex>;
  /** The driver's "not connected" error. */
  lost: LinkErrorFactory;
  /** A shared medium (an RS-485 bus): one request at a time across every device on it. */
  exclusive?: boolean;
  /** Reason given when the stream closes without an error; default "connection closed by peer". */
  closedReason?: string;
}

export function createStreamTransport(opts: StreamTransportOptions): Transport {
  return {
    description: opts.description,
    exclusive: opts.exclusive ?? false,
    async open(events) {
      let stream: Duplex;
      try {
        stream = await opts.openStream();
      } catch (err) {
        if (isWatershedError(err)) throw err;
        throw opts.lost(opts.description, (err as Error).message, err);
      }
      return new StreamConnection(stream, opts, events);
    },
  };
}

/** One open stream; reports loss exactly once, with the last stream error if there was one. */
export class StreamConnection implements Connection {
  readonly #stream: Duplex;
  readonly #closed: Promise<void>;

  constructor(
    stream: Duplex,
    opts: { description: string; lost: LinkErrorFactory; closedReason?: string },
    events: ConnectionEvents,
  ) {
    this.#stream = stream;
    let lastError: Error | undefined;
    stream.on('data', (chunk: Buffer) => events.onData(chunk));
    stream.on('error', (err) => {
      lastError = opts.lost(opts.description, err.message, err);
    });
    this.#closed = new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        events.onClose(
          lastError ?? opts.lost(opts.description, opts.closedReason ?? 'connection closed by peer'),
        );
        resolve();
      };
      stream.once('close', finish);
      // A stream that ends without emitting 'close' (autoDestroy off) still counts as lost.
      stream.once('end', () => {
        stream.destroy();
        finish();
      });
    });
  }

  write(bytes: Uint8Array): void {
    // A write racing a loss would only raise ERR_STREAM_DESTROYED; the loss is already reported.
    if (!this.#stream.destroyed) this.#stream.write(bytes);
  }

  async close(): Promise<void> {
    this.#stream.destroy();
    await this.#closed;
  }
}
