import type { Packet } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import type { HandlerContext } from '../context.js';
import { handlePuback, handlePubcomp, handlePubrec, handlePubrel } from './acks.js';
import { handleAuth } from './auth.js';
import { handleDisconnect } from './disconnect.js';
import { handlePublish } from './publish.js';
import { handleSubscribe, handleUnsubscribe } from './subscribe.js';

export { handleConnect } from './connect.js';

/** Routes a packet from a connected client to its handler. CONNECT is handled by the connection. */
export function dispatch(ctx: HandlerContext, conn: Connection, packet: Packet): void {
  switch (packet.cmd) {
    case 'publish':
      return handlePublish(ctx, conn, packet);
    case 'puback':
      return handlePuback(conn, packet);
    case 'pubrec':
      return handlePubrec(conn, packet);
    case 'pubrel':
      return handlePubrel(conn, packet);
    case 'pubcomp':
      return handlePubcomp(conn, packet);
    case 'subscribe':
      return handleSubscribe(ctx, conn, packet);
    case 'unsubscribe':
      return handleUnsubscribe(ctx, conn, packet);
    case 'pingreq':
      // [MQTT-3.12.4-1] the server answers PINGREQ with PINGRESP.
      conn.send({ cmd: 'pingresp' });
      return;
    case 'disconnect':
      return handleDisconnect(conn, packet);
    case 'connect':
      // [MQTT-3.1.0-2] a second CONNECT is a protocol violation.
      return conn.protocolError('protocol_error', 'second CONNECT');
    case 'auth':
      // Re-authentication (MQTT 5 §4.12.1); AUTH before CONNACK goes to the CONNECT exchange.
      return handleAuth(ctx, conn, packet);
    default:
      // CONNACK, SUBACK, UNSUBACK, PINGRESP only travel server → client.
      return conn.protocolError('protocol_error', `unexpected ${packet.cmd} from a client`);
  }
}
