import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import type { Listener, WsListenOptions } from '../types.js';
import { serve, SocketSet, type Accept } from './serve.js';
import { certificateIdentity } from './tls.js';

/** Subprotocols MQTT clients offer: "mqtt" [MQTT-6.0.0-3], and "mqttv3.1" from 3.1 clients. */
const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

/**
 * MQTT over WebSocket (MQTT 5.0 §6): binary frames carry the byte stream, and packets may be
 * split across frames or share one [MQTT-6.0.0-2/3]; the frame boundaries are simply ignored
 * by presenting the socket as a byte stream to the broker. With `tls`, serves wss://.
 */
export async function listenWs(
  accept: Accept,
  opts: WsListenOptions,
  maxPacketSize: number,
): Promise<Listener> {
  const http = opts.tls ? createHttpsServer(opts.tls) : createHttpServer();
  http.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: upgrade required\n');
  });
  const sockets = new SocketSet<Socket>();
  http.on('connection', (socket: Socket) => sockets.add(socket));
  const wss = new WebSocketServer({
    server: http,
    path: opts.path ?? '/mqtt',
    // One frame may hold several packets; the MQTT size limit itself is enforced per packet.
    maxPayload: Math.max(2 * maxPacketSize, 64 * 1024),
    // Clients that offer no MQTT subprotocol are still served, as Mosquitto does.
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const stream = createWebSocketStream(ws);
    accept(stream, req.socket.remoteAddress, {
      ...(opts.name !== undefined && { listener: opts.name }),
      // wss:// with a client certificate: the same identity as on a TLS listener.
      ...(opts.tls && certificateIdentity(req.socket as TLSSocket)),
    });
  });
  return serve(
    http,
    opts.host ?? '0.0.0.0',
    opts.port,
    () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      sockets.destroyAll();
    },
    opts.maxConnections,
  );
}
