/**
 * Bytes and packets over the wire, counted where bytes cross the socket boundary: a chunk read
 * from the stream (bytes in), a decoded packet (packets in), an encoded packet handed to the
 * stream (bytes and packets out). Plain numbers bumped in place: no allocation and no call on
 * the packet path. Bytes are MQTT bytes — TLS records and WebSocket frames are not counted.
 */
export interface Traffic {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

export function newTraffic(): Traffic {
  return { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 };
}
