import type { Clock } from '@watershed/common';
import { generate, type IPublishPacket } from 'mqtt-packet';
import { encodePublish } from './codec/encode.js';
import type { OutboundAliases } from './outbound-aliases.js';
import { publishProperties } from './outgoing-properties.js';
import type { Outgoing } from './session.js';

/** What the encoding of a delivery depends on: the client's protocol and MQTT 5 limits. */
export interface PublishTarget {
  readonly protocolVersion: 3 | 4 | 5;
  /** Topic aliases the client accepts from us (MQTT 5 CONNECT Topic Alias Maximum). */
  readonly clientTopicAliasMaximum: number;
  /** Maximum Packet Size the client accepts (MQTT 5 [MQTT-3.1.2-24]). */
  readonly clientMaxPacketSize: number;
  /** The aliases proposed to this client so far; only read when it accepts aliases. */
  readonly outboundAliases: OutboundAliases;
}

const V4 = { protocolVersion: 4 } as const;
const V5 = { protocolVersion: 5 } as const;

/**
 * The bytes of one PUBLISH delivery to `target`, or undefined when they exceed the client's
 * Maximum Packet Size and must be discarded [MQTT-3.1.2-25]. A plain QoS 0 delivery reuses the
 * message's shared encoding; a delivery without properties is encoded directly (codec/encode.ts);
 * only MQTT 5 deliveries with properties or topic aliases go through mqtt-packet, which may throw.
 */
export function encodeDelivery(
  out: Outgoing,
  dup: boolean,
  target: PublishTarget,
  clock: Clock,
): Buffer | undefined {
  const v5 = target.protocolVersion === 5;
  const shared = sharedEncoding(out, dup, target);
  if (shared) {
    const bytes = v5
      ? (shared.v5 ??= encodePublish(out.topic, out.payload, 0, false, false, 0, true))
      : (shared.v4 ??= encodePublish(out.topic, out.payload, 0, false, false, 0, false));
    return bytes.length > target.clientMaxPacketSize ? undefined : bytes;
  }
  const props = v5 ? publishProperties(out, clock.now()) : undefined;
  if (props === undefined && (!v5 || target.clientTopicAliasMaximum === 0)) {
    const bytes = encodePublish(out.topic, out.payload, out.qos, out.retain, dup, out.packetId, v5);
    return bytes.length > target.clientMaxPacketSize ? undefined : bytes;
  }
  const packet: IPublishPacket = {
    cmd: 'publish',
    topic: out.topic,
    payload: out.payload,
    qos: out.qos,
    retain: out.retain,
    dup,
  };
  if (out.qos > 0) packet.messageId = out.packetId;
  if (props) packet.properties = props;
  const aliases = target.clientTopicAliasMaximum > 0 ? target.outboundAliases : undefined;
  const newAlias = aliases ? aliases.apply(packet, target.clientTopicAliasMaximum) : 0;
  const bytes = generate(packet, v5 ? V5 : V4);
  if (bytes.length > target.clientMaxPacketSize) return undefined;
  // The client learns an alias only from a packet it receives: record it once written.
  if (newAlias > 0) aliases?.record(out.topic, newAlias);
  return bytes;
}

/**
 * Fan-out fast path: a plain QoS 0 PUBLISH (no per-subscriber properties, alias or flags) has
 * the same bytes for every subscriber of a protocol family, so it is encoded once per message
 * and shared. Returns the message's cache when a delivery to this client can use it.
 */
function sharedEncoding(out: Outgoing, dup: boolean, target: PublishTarget): Outgoing['encoded'] {
  if (out.encoded === undefined || out.qos !== 0 || out.retain || dup) return undefined;
  if (target.protocolVersion !== 5) return out.encoded;
  const plain =
    out.properties === undefined &&
    out.subscriptionIds === undefined &&
    out.expiresAt === undefined &&
    target.clientTopicAliasMaximum === 0;
  return plain ? out.encoded : undefined;
}
