import { parser as createParser, type IPublishPacket, type Packet, type Parser } from 'mqtt-packet';
import { BrokerErrors } from '../errors.js';

/**
 * How the sender's later packets decode, as its CONNECT declared it: the protocol level and,
 * for MQTT 3.1.1 bridges, the bridge bit (mqtt-packet then reads the Retain As Published and
 * No Local bits of SUBSCRIBE options).
 */
export interface DecodeSettings {
  readonly protocolVersion?: 3 | 4 | 5;
  readonly bridgeMode?: boolean;
}

/** Settings for a connection that has not sent CONNECT yet. */
export const BEFORE_CONNECT: DecodeSettings = Object.freeze({});

/** The fields of mqtt-packet 9's Parser this module drives, beyond its typed surface. */
interface SettableParser extends Parser {
  settings: DecodeSettings;
}

/**
 * One mqtt-packet Parser for every connection. A Parser is a streaming decoder with a bl
 * BufferList stream, two Packet objects and listeners (about 1 KB per instance); fed whole
 * packets from FrameSplitter it never carries bytes from one call to the next, so it can be
 * shared. Its only per-connection input, the settings from CONNECT, is set for each call.
 * Sharing is safe because `decode` is synchronous and runs no caller code while the parser is
 * busy: the 'packet' event only records the result, which is returned after `parse` returns.
 */
class SharedParser {
  #parser: SettableParser;
  #packet: Packet | undefined;
  #error: Error | undefined;

  constructor() {
    this.#parser = this.#create();
  }

  decode(frame: Buffer, settings: DecodeSettings): Packet {
    const parser = this.#parser;
    parser.settings = settings;
    parser.parse(frame);
    const packet = this.#packet;
    const error = this.#error;
    this.#packet = undefined;
    this.#error = undefined;
    // A CONNECT leaves itself (credentials included) as the parser's settings: drop it.
    parser.settings = BEFORE_CONNECT;
    if (error !== undefined || packet === undefined) {
      // After an error the parser still holds the rest of the frame: start from a clean one.
      this.#parser = this.#create();
      throw BrokerErrors.MALFORMED_PACKET.create([error?.message ?? 'incomplete packet'], undefined, error);
    }
    return packet;
  }

  #create(): SettableParser {
    const parser = createParser(BEFORE_CONNECT) as SettableParser;
    parser.on('packet', (packet: Packet) => {
      this.#packet = packet;
    });
    parser.on('error', (err: Error) => {
      this.#error = err;
    });
    return parser;
  }
}

// One per process: it holds no state between calls (see SharedParser), so this is a function
// with a reused work area, not shared mutable state.
const shared = new SharedParser();

/**
 * Decodes one whole control packet (fixed header included, as FrameSplitter returns it).
 * PUBLISH without MQTT 5 properties, the bulk of the traffic, is decoded here directly; every
 * other packet, and any PUBLISH this fast path does not fully understand, goes through
 * mqtt-packet, so both paths accept and reject exactly the same bytes. Throws
 * `WS_ERR_MQTT_MALFORMED_PACKET`. The payload of a PUBLISH is a view of `frame`.
 */
export function decodePacket(frame: Buffer, settings: DecodeSettings): Packet {
  if (frame[0]! >> 4 === PUBLISH) {
    const fast = decodePlainPublish(frame, settings.protocolVersion === 5);
    if (fast !== undefined) return fast;
  }
  return shared.decode(frame, settings);
}

const PUBLISH = 3;

/**
 * PUBLISH (MQTT 5.0 §3.3): topic, packet identifier when QoS > 0, an empty property list in
 * MQTT 5, then the payload. Returns undefined for anything else (QoS 3, truncated fields, MQTT 5
 * properties) so that mqtt-packet decides, with its own errors.
 */
function decodePlainPublish(frame: Buffer, v5: boolean): IPublishPacket | undefined {
  const first = frame[0]!;
  const qos = ((first >> 1) & 3) as 0 | 1 | 2 | 3;
  if (qos === 3) return undefined; // [MQTT-3.3.1-4]
  let pos = 1;
  while (frame[pos]! & 0x80) pos++;
  const bodyStart = pos + 1;
  const end = frame.length;
  if (end - bodyStart < 2) return undefined;
  const topicEnd = bodyStart + 2 + frame.readUInt16BE(bodyStart);
  if (topicEnd > end) return undefined;
  pos = topicEnd;
  let messageId: number | undefined;
  if (qos > 0) {
    if (end - pos < 2) return undefined;
    messageId = frame.readUInt16BE(pos);
    pos += 2;
  }
  if (v5) {
    if (pos >= end || frame[pos] !== 0) return undefined;
    pos++;
  }
  // Same fields, in the same order, as mqtt-packet's Packet, so handlers see one object shape.
  const packet: IPublishPacket = {
    cmd: 'publish',
    retain: (first & 1) !== 0,
    qos,
    dup: (first & 8) !== 0,
    length: end - bodyStart,
    topic: frame.toString('utf8', bodyStart + 2, topicEnd),
    payload: frame.subarray(pos),
  };
  if (messageId !== undefined) packet.messageId = messageId;
  return packet;
}

const SETTINGS: readonly DecodeSettings[] = [3, 4, 5].flatMap((protocolVersion) =>
  [false, true].map((bridgeMode) => Object.freeze({ protocolVersion, bridgeMode }) as DecodeSettings),
);

/** The (shared, immutable) settings for a client whose CONNECT declared `version` and `bridge`. */
export function settingsFor(version: number | undefined, bridge: boolean | undefined): DecodeSettings {
  const found = SETTINGS.find((s) => s.protocolVersion === version && s.bridgeMode === (bridge ?? false));
  return found ?? BEFORE_CONNECT;
}
