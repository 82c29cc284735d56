import { createServer, type TLSSocket } from 'node:tls';
import type { Logger } from '@watershed/common';
import type { Listener, TlsListenOptions } from '../types.js';
import { serve, SocketSet, type Accept } from './serve.js';

/**
 * MQTT over TLS (MQTT 5.0 §4.2, conventionally port 8883). The handshake completes before
 * the broker sees the stream; failed handshakes are logged and never reach it.
 */
export async function listenTls(accept: Accept, opts: TlsListenOptions, logger: Logger): Promise<Listener> {
  const { host, port, ...tlsOptions } = opts;
  const sockets = new SocketSet<TLSSocket>();
  const server = createServer(tlsOptions, (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    accept(socket, socket.remoteAddress);
  });
  server.on('tlsClientError', (err, socket) => {
    logger.info({ err: err.message, remoteAddress: socket.remoteAddress }, 'TLS handshake failed');
  });
  return serve(server, host ?? '0.0.0.0', port, () => sockets.destroyAll());
}
