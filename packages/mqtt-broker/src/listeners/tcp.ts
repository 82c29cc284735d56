import { createServer, type Socket } from 'node:net';
import type { Listener, TcpListenOptions } from '../types.js';
import { serve, SocketSet, type Accept } from './serve.js';

/**
 * A plain TCP listener. It owns its server and the sockets it accepted: `close` stops
 * accepting, destroys those sockets (their connections then close as "socket_closed") and
 * resolves when the server has closed.
 */
export async function listenTcp(accept: Accept, opts: TcpListenOptions): Promise<Listener> {
  const origin = opts.name !== undefined ? { listener: opts.name } : {};
  const sockets = new SocketSet<Socket>();
  const server = createServer((socket) => {
    // MQTT packets are small and latency matters more than coalescing.
    socket.setNoDelay(true);
    sockets.add(socket);
    accept(socket, socket.remoteAddress, origin);
  });
  return serve(server, opts.host ?? '0.0.0.0', opts.port, () => sockets.destroyAll(), opts.maxConnections);
}
