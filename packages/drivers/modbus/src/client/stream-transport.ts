/**
 * A transport over any Node Duplex stream: a serial port (serialport's SerialPort is a Duplex),
 * a socket made elsewhere, or an in-memory pair in tests. `open` asks a factory for a fresh
 * stream each time, so reconnection works the same as for TCP.
 */
import type { Duplex } from 'node:stream';
import { isWatershedError } from '@watershed/common';
import { ModbusErrors } from '../errors.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

export interface StreamTransportOptions {
  description: string;
  /** Opens the stream; rejects when the device cannot be opened. */
  openStream(): Promise<Duplex>;
  /** A shared medium (an RS-485 bus): one request at a time across every unit on it. */
  exclusive?: boolean;
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
        throw ModbusErrors.DISCONNECTED.create([opts.description, (err as Error).message], undefined, err);
      }
      return new StreamConnection(stream, opts.description, events);
    },
  };
}

class StreamConnection implements Connection {
  readonly #stream: Duplex;
  readonly #closed: Promise<void>;

  constructor(stream: Duplex, description: string, events: ConnectionEvents) {
    this.#stream = stream;
    let lastError: Error | undefined;
    stream.on('data', (chunk: Buffer) => events.onData(chunk));
    stream.on('error', (err) => {
      lastError = ModbusErrors.DISCONNECTED.create([description, err.message], undefined, err);
    });
    this.#closed = new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        events.onClose(lastError ?? ModbusErrors.DISCONNECTED.create([description, 'stream closed']));
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
    this.#stream.write(bytes);
  }

  async close(): Promise<void> {
    this.#stream.destroy();
    await this.#closed;
  }
}
