import { createServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BrokerErrors } from '../errors.js';
import type { Listener, TcpListenOptions } from '../types.js';

/** Hands an accepted byte stream to the broker. */
export type Accept = (stream: Duplex, remoteAddress: string | undefined) => void;

/**
 * A plain TCP listener. It owns its server and the sockets it accepted: `close` stops
 * accepting, destroys those sockets (their connections then close as "socket_closed") and
 * resolves when the server has closed.
 */
export async function listenTcp(accept: Accept, opts: TcpListenOptions): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // MQTT packets are small and latency matters more than coalescing.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    accept(socket, socket.remoteAddress);
  });
  const host = opts.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void =>
      reject(BrokerErrors.LISTEN_FAILED.create([host, opts.port, err.message], undefined, err));
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
