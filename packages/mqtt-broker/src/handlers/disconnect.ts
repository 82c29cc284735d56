import type { IDisconnectPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';

/** MQTT 5 DISCONNECT reason "Disconnect with Will Message" (§3.14.2.1). */
const WITH_WILL = 0x04;

/**
 * DISCONNECT from the client: the will is discarded [MQTT-3.14.4-3] unless an MQTT 5 client
 * asks for it with 0x04; MQTT 5 may change the session expiry on the way out.
 */
export function handleDisconnect(conn: Connection, packet: IDisconnectPacket): void {
  const expiry = packet.properties?.sessionExpiryInterval;
  if (expiry !== undefined && conn.session) {
    // [MQTT-3.14.2-2] a session that had expiry 0 at CONNECT cannot be given one now.
    if (conn.session.expiryInterval === 0 && expiry !== 0) {
      conn.protocolError('protocol_error', 'session expiry set on DISCONNECT after 0 at CONNECT');
      return;
    }
    conn.session.expiryInterval = expiry;
  }
  conn.close('client_disconnect', { graceful: true, publishWill: packet.reasonCode === WITH_WILL });
}
