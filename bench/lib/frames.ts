import { generate } from 'mqtt-packet';

/**
 * The load generator's MQTT 3.1.1 wire helpers. Packets are encoded once with mqtt-packet and
 * then copied and patched in place; incoming bytes are only split into frames and the few
 * fields the subscriber counts are read at fixed offsets. A full parser per connection would
 * make the generator, not the broker, the bottleneck.
 */

const V311 = { protocolVersion: 4 } as const;

/** MQTT control packet types (MQTT 3.1.1 §2.2.1), high nibble of the first byte. */
export const PacketType = { CONNACK: 2, PUBLISH: 3, PUBACK: 4, SUBACK: 9, PINGRESP: 13 } as const;

export function connectPacket(clientId: string): Buffer {
  // Keep alive 0 turns the keep-alive mechanism off [MQTT-3.1.2-23 note]: idle connections
  // then cost the broker no timers and the generator no PINGREQs.
  return generate(
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 },
    V311,
  );
}

export function subscribePacket(filter: string, qos: 0 | 1, messageId = 1): Buffer {
  return generate({ cmd: 'subscribe', messageId, subscriptions: [{ topic: filter, qos }] }, V311);
}

/** PUBACK for `messageId` written at `offset` (4 bytes, MQTT 3.1.1 §3.4). */
export function writePuback(buf: Buffer, offset: number, messageId: number): void {
  buf[offset] = 0x40;
  buf[offset + 1] = 2;
  buf.writeUInt16BE(messageId, offset + 2);
}

/** Called once per complete frame: first byte, the buffer, where the variable header starts, frame end. */
export type FrameHandler = (first: number, buf: Buffer, body: number, end: number) => void;

/**
 * Splits a TCP byte stream into MQTT frames (fixed header + Remaining Length, §2.2.3) without
 * copying, except for a frame cut across chunks, whose head is copied and carried to the next
 * chunk. Frames handed to the handler are only valid during the call.
 */
export class FrameReader {
  readonly #onFrame: FrameHandler;
  #carry: Buffer | undefined;

  constructor(onFrame: FrameHandler) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#carry) {
      buf = Buffer.concat([this.#carry, chunk]);
      this.#carry = undefined;
    }
    let pos = 0;
    const n = buf.length;
    for (;;) {
      if (pos + 2 > n) break;
      let len = 0;
      let mult = 1;
      let i = pos + 1;
      let complete = false;
      // Remaining Length: at most four bytes, 7 bits each, continuation in the top bit.
      while (i < n && i < pos + 5) {
        const b = buf[i++]!;
        len += (b & 0x7f) * mult;
        mult *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (i >= pos + 5) throw new Error('malformed Remaining Length from broker');
        break;
      }
      const end = i + len;
      if (end > n) break;
      this.#onFrame(buf[pos]!, buf, i, end);
      pos = end;
    }
    // Copied: the caller may reuse its buffer for the next read.
    if (pos < n) this.#carry = Buffer.from(buf.subarray(pos));
  }
}

/** Where a PUBLISH's packet identifier and payload start (MQTT 3.1.1 §3.3.2, no properties). */
export function publishPayloadStart(first: number, buf: Buffer, body: number): number {
  const qos = (first >> 1) & 3;
  const afterTopic = body + 2 + buf.readUInt16BE(body);
  return qos > 0 ? afterTopic + 2 : afterTopic;
}

/** The packet identifier of a QoS > 0 PUBLISH. */
export function publishMessageId(buf: Buffer, body: number): number {
  return buf.readUInt16BE(body + 2 + buf.readUInt16BE(body));
}

// ── payload ─────────────────────────────────────────────────────────────────────────────────

const PUB_DIGITS = 5;
const SEQ_DIGITS = 10;
const TIME_DIGITS = 15;

/**
 * A ~100-byte JSON meter reading whose publisher index, sequence number and send time sit as
 * fixed-width decimal strings at fixed offsets, so they can be patched and read without
 * JSON.parse. Offsets are from the start of the payload.
 */
export interface PayloadLayout {
  readonly template: Buffer;
  readonly pubOffset: number;
  readonly seqOffset: number;
  readonly timeOffset: number;
}

export function payloadLayout(size = 100): PayloadLayout {
  const head =
    `{"p":"${'0'.repeat(PUB_DIGITS)}","s":"${'0'.repeat(SEQ_DIGITS)}",` +
    `"t":"${'0'.repeat(TIME_DIGITS)}","v":21.375,"q":"good","x":"`;
  const tail = '"}';
  const pad = Math.max(0, size - head.length - tail.length);
  const template = Buffer.from(head + 'x'.repeat(pad) + tail, 'latin1');
  return {
    template,
    pubOffset: head.indexOf('"p":"') + 5,
    seqOffset: head.indexOf('"s":"') + 5,
    timeOffset: head.indexOf('"t":"') + 5,
  };
}

/** Writes `value` (a non-negative integer) as `width` ASCII digits, zero-padded, at `offset`. */
export function writeDigits(buf: Buffer, offset: number, width: number, value: number): void {
  let v = value;
  for (let i = offset + width - 1; i >= offset; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
}

export function readDigits(buf: Buffer, offset: number, width: number): number {
  let v = 0;
  for (let i = offset; i < offset + width; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}

/**
 * A PUBLISH encoded once; `fill` copies it `count` times into one buffer (one socket write)
 * with consecutive sequence numbers, the send time and, at QoS 1, packet identifiers.
 */
export class PublishTemplate {
  readonly packet: Buffer;
  readonly qos: 0 | 1;
  readonly #payloadAt: number;
  readonly #layout: PayloadLayout;

  constructor(topic: string, qos: 0 | 1, publisher: number, layout: PayloadLayout) {
    const payload = Buffer.from(layout.template);
    writeDigits(payload, layout.pubOffset, PUB_DIGITS, publisher);
    this.packet = generate(
      { cmd: 'publish', topic, payload, qos, retain: false, dup: false, ...(qos > 0 && { messageId: 1 }) },
      V311,
    );
    this.qos = qos;
    this.#payloadAt = this.packet.length - payload.length;
    this.#layout = layout;
  }

  /** `count` packets with sequence numbers seq, seq+1, …; packet ids cycle through 1..65535. */
  fill(count: number, seq: number, timeNs: number): Buffer {
    const len = this.packet.length;
    const out = Buffer.allocUnsafe(len * count);
    const l = this.#layout;
    for (let k = 0; k < count; k++) {
      const at = k * len;
      this.packet.copy(out, at);
      const p = at + this.#payloadAt;
      writeDigits(out, p + l.seqOffset, SEQ_DIGITS, seq + k);
      writeDigits(out, p + l.timeOffset, TIME_DIGITS, timeNs);
      if (this.qos > 0) out.writeUInt16BE(((seq + k) % 65535) + 1, p - 2);
    }
    return out;
  }
}

/** Fields of a payload built from `payloadLayout`, read at `start` in `buf`. */
export function readPublisher(buf: Buffer, start: number, l: PayloadLayout): number {
  return readDigits(buf, start + l.pubOffset, PUB_DIGITS);
}
export function readSeq(buf: Buffer, start: number, l: PayloadLayout): number {
  return readDigits(buf, start + l.seqOffset, SEQ_DIGITS);
}
export function readTimeNs(buf: Buffer, start: number, l: PayloadLayout): number {
  return readDigits(buf, start + l.timeOffset, TIME_DIGITS);
}
