import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { BrokerErrors } from '../errors.js';
import type { Listener } from '../types.js';

/** Where a stream came from, for authentication and authorization hooks. */
export interface StreamOrigin {
  /** The listener's `name`. */
  readonly listener?: string;
  /** CN of a client certificate the TLS handshake verified against the listener's CA. */
  readonly certificateCN?: string;
  /** That certificate's subjectAltName, as node:tls gives it (`DNS:a, email:b`). */
  readonly certificateSAN?: string;
}

/** Hands an accepted byte stream to the broker. */
export type Accept = (stream: Duplex, remoteAddress: string | undefined, origin?: StreamOrigin) => void;

/**
 * Starts `server` listening and wraps it as a Listener. `onClose` runs first on close (to
 * terminate the listener's own connections); the promise resolves when the server has closed.
 */
export async function serve(
  server: Server,
  host: string,
  port: number,
  onClose: () => void,
  maxConnections?: number,
): Promise<Listener> {
  // Sockets beyond the listener's own limit are closed by node:net on accept.
  if (maxConnections !== undefined) server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void =>
      reject(BrokerErrors.LISTEN_FAILED.create([host, port, err.message], undefined, err));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    host,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        onClose();
      });
      return closing;
    },
  };
}

/** Tracks sockets so the listener can end them when it closes. */
export class SocketSet<S extends { destroy(): void; on(event: 'close', fn: (this: S) => void): unknown }> {
  readonly #sockets = new Set<S>();
  // One listener for every socket of the set (`this` is the socket): no closure or once-wrapper
  // per connection, which matters at tens of thousands of idle connections. 'close' fires once.
  readonly #forget: (this: S) => void;

  constructor() {
    const sockets = this.#sockets;
    this.#forget = function (this: S): void {
      sockets.delete(this);
    };
  }

  add(socket: S): void {
    this.#sockets.add(socket);
    socket.on('close', this.#forget);
  }

  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
  }
}
