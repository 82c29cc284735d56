import { createServer, type TLSSocket } from 'node:tls';
import type { Logger } from '@watershed/common';
import type { Listener, TlsListenOptions } from '../types.js';
import { serve, SocketSet, type Accept } from './serve.js';

/**
 * MQTT over TLS (MQTT 5.0 §4.2, conventionally port 8883). The handshake completes before
 * the broker sees the stream; failed handshakes are logged and never reach it.
 */
export async function listenTls(accept: Accept, opts: TlsListenOptions, logger: Logger): Promise<Listener> {
  const { host, port, name, maxConnections, ...tlsOptions } = opts;
  const sockets = new SocketSet<TLSSocket>();
  const server = createServer(tlsOptions, (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    accept(socket, socket.remoteAddress, {
      ...(name !== undefined && { listener: name }),
      ...certificateIdentity(socket),
    });
  });
  server.on('tlsClientError', (err, socket) => {
    logger.info({ err: err.message, remoteAddress: socket.remoteAddress }, 'TLS handshake failed');
  });
  return serve(server, host ?? '0.0.0.0', port, () => sockets.destroyAll(), maxConnections);
}

/**
 * The subject CN and subjectAltName of a client certificate that chained to the listener's CA. An unverified
 * certificate (requestCert without rejectUnauthorized) names nobody, so it is ignored.
 */
export function certificateIdentity(socket: TLSSocket): { certificateCN?: string; certificateSAN?: string } {
  if (!socket.authorized) return {};
  const cert = socket.getPeerCertificate();
  const cn = cert.subject?.CN;
  const first = Array.isArray(cn) ? cn[0] : cn;
  return {
    ...(typeof first === 'string' && first.length > 0 && { certificateCN: first }),
    ...(cert.subjectaltname !== undefined && { certificateSAN: cert.subjectaltname }),
  };
}
