import type { IPubackPacket, IPubcompPacket, IPubrecPacket, IPubrelPacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';

/** MQTT 5 reason code for an acknowledgement naming a packet id we do not know (§3.6.2.1). */
const PACKET_ID_NOT_FOUND = 0x92;

/** PUBACK: the client took a QoS 1 message we sent; frees an inflight slot. */
export function handlePuback(conn: Connection, packet: IPubackPacket): void {
  conn.session!.onPuback(packet.messageId!);
}

/**
 * PUBREC: first half of our QoS 2 send; answer PUBREL [MQTT-4.3.3-3]. A persistent session
 * sends PUBREL only once the "released" state is durable: a receiver may deliver on PUBREL
 * and forget the packet id, so after a crash we must resend PUBREL, never the PUBLISH again.
 */
export function handlePubrec(conn: Connection, packet: IPubrecPacket): void {
  const id = packet.messageId!;
  const failed = (packet.reasonCode ?? 0) >= 0x80;
  const session = conn.session!;
  if (session.onPubrec(id, failed)) session.afterDurable(() => conn.writePubrel(id));
  else if (!failed) sendWithReason(conn, 'pubrel', id, PACKET_ID_NOT_FOUND);
}

/**
 * PUBREL: the client releases a QoS 2 message it sent us; answer PUBCOMP [MQTT-4.3.3-11]. A
 * persistent session answers once the release is durable: after PUBCOMP the client may reuse
 * the packet id, which a stale stored id would swallow as a duplicate.
 */
export function handlePubrel(conn: Connection, packet: IPubrelPacket): void {
  const id = packet.messageId!;
  const session = conn.session!;
  const known = session.releaseQos2(id);
  session.afterDurable(() => sendWithReason(conn, 'pubcomp', id, known ? 0 : PACKET_ID_NOT_FOUND));
}

/** PUBCOMP: our QoS 2 send is complete. */
export function handlePubcomp(conn: Connection, packet: IPubcompPacket): void {
  conn.session!.onPubcomp(packet.messageId!);
}

function sendWithReason(
  conn: Connection,
  cmd: 'pubrel' | 'pubcomp',
  messageId: number,
  reasonCode: number,
): void {
  // MQTT 3.1.1 has no reason codes: the ack is sent plain (§4.3.3 asks for it regardless).
  if (conn.protocolVersion === 5 && reasonCode !== 0) conn.send({ cmd, messageId, reasonCode });
  else conn.send({ cmd, messageId });
}
