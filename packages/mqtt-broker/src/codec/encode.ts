/**
 * PUBLISH without MQTT 5 properties, encoded directly (MQTT 5.0 §3.3, MQTT 3.1.1 §3.3): the
 * packet every delivery writes. mqtt-packet's `generate` builds an EventEmitter-based
 * accumulator and concatenates per call; this writes one exactly-sized buffer. The bytes are
 * identical to `generate`'s (tested in encode.test.ts). Packets with properties, and every
 * other packet type, still go through mqtt-packet.
 */
export function encodePublish(
  topic: string,
  payload: Buffer,
  qos: 0 | 1 | 2,
  retain: boolean,
  dup: boolean,
  packetId: number,
  v5: boolean,
): Buffer {
  const topicLength = Buffer.byteLength(topic, 'utf8');
  // Topic Name (length-prefixed), Packet Identifier when QoS > 0, an empty property list in v5.
  const remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payload.length;
  const lengthBytes = remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4;
  const out = Buffer.allocUnsafe(1 + lengthBytes + remaining);
  out[0] = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
  // Remaining Length as a Variable Byte Integer, minimal encoding [MQTT-1.5.5-1].
  let pos = 1;
  let n = remaining;
  do {
    let b = n % 0x80;
    n = Math.floor(n / 0x80);
    if (n > 0) b |= 0x80;
    out[pos++] = b;
  } while (n > 0);
  out.writeUInt16BE(topicLength, pos);
  pos += 2;
  pos += out.write(topic, pos, 'utf8');
  if (qos > 0) {
    out.writeUInt16BE(packetId, pos);
    pos += 2;
  }
  if (v5) out[pos++] = 0;
  payload.copy(out, pos);
  return out;
}
