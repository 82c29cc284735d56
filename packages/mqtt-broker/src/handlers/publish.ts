import type { IPublishPacket } from 'mqtt-packet';
import { AckQueue, qos2Holds, sendPublishAck } from '../ack-queue.js';
import type { Connection } from '../connection.js';
import type { HandlerContext } from '../context.js';
import { topicNameError } from '../topic/validate.js';
import type { Holds } from '../router.js';
import type { BrokerMessage } from '../types.js';

/** MQTT 5 PUBACK/PUBREC reason codes used here (§3.4.2.1). */
const NOT_AUTHORIZED = 0x87;
const NO_MATCHING_SUBSCRIBERS = 0x10;

/**
 * PUBLISH from a client: validate → authorize → dedupe (QoS 2) → retain → route → ack.
 * Each step returns false when it has already dealt with the packet (closed, refused).
 */
export function handlePublish(ctx: HandlerContext, conn: Connection, packet: IPublishPacket): void {
  const topic = validate(ctx, conn, packet);
  if (topic === undefined) return;
  if (!authorize(ctx, conn, packet, topic)) return;
  if (!firstDelivery(ctx, conn, packet)) return;
  const message = toMessage(ctx, conn, packet, topic);
  if (packet.retain) ctx.retain(message);
  const delivered = ctx.route(message);
  const holds = packet.qos === 0 ? undefined : ctx.takeHolds();
  ack(ctx, conn, packet, delivered || conn.protocolVersion !== 5 ? 0 : NO_MATCHING_SUBSCRIBERS, holds);
}

/** Resolves the topic (MQTT 5 topic aliases) and checks it; returns undefined after closing. */
function validate(ctx: HandlerContext, conn: Connection, packet: IPublishPacket): string | undefined {
  let topic = packet.topic;
  const alias = packet.properties?.topicAlias;
  if (alias !== undefined) {
    // [MQTT-3.3.2-8/9] an alias is 1..Topic Alias Maximum announced in CONNACK.
    if (alias === 0 || alias > ctx.limits.topicAliasMaximum) {
      conn.protocolError('topic_alias_invalid', `topic alias ${alias} out of range`, 0x94);
      return undefined;
    }
    if (topic.length > 0) {
      conn.inboundAliases.set(alias, topic);
    } else {
      const known = conn.inboundAliases.get(alias);
      if (known === undefined) {
        conn.protocolError('topic_alias_invalid', `unknown topic alias ${alias}`, 0x82);
        return undefined;
      }
      topic = known;
    }
  }
  const err = topicNameError(topic, ctx.limits.maxTopicLevels);
  if (err) {
    // [MQTT-3.3.2-2] a wildcard in a topic name is a protocol violation: close (v5: 0x90).
    conn.protocolError('topic_invalid', `topic "${topic}": ${err}`, 0x90);
    return undefined;
  }
  return topic;
}

function authorize(ctx: HandlerContext, conn: Connection, packet: IPublishPacket, topic: string): boolean {
  const hook = ctx.authorizePublish;
  if (!hook || hook(conn.info!, topic)) return true;
  ctx.logger.debug({ clientId: conn.clientId, topic }, 'MQTT publish not authorized');
  // MQTT 5 acks with 0x87; MQTT 3.1.1 has no negative ack, so the message is acked and dropped
  // (the choice Mosquitto makes) rather than forcing the client into a reconnect loop.
  ack(ctx, conn, packet, conn.protocolVersion === 5 ? NOT_AUTHORIZED : 0);
  return false;
}

/** QoS 2: a PUBLISH whose packet id awaits PUBREL is a resend; ack it, route it once [MQTT-4.3.3-9]. */
function firstDelivery(ctx: HandlerContext, conn: Connection, packet: IPublishPacket): boolean {
  if (packet.qos !== 2) return true;
  const session = conn.session!;
  if (session.receiveQos2(packet.messageId!)) {
    // [MQTT-3.3.4-9] more unreleased QoS 2 messages than our Receive Maximum: 0x93.
    if (conn.protocolVersion === 5 && session.pendingReleases > ctx.limits.maxInflight) {
      conn.protocolError(
        'receive_maximum_exceeded',
        `more than ${ctx.limits.maxInflight} QoS 2 messages awaiting PUBREL`,
        0x93,
      );
      return false;
    }
    return true;
  }
  // A resend of a message whose store is still at work is acked when that store is done.
  ack(ctx, conn, packet, 0, qos2Holds(session, packet.messageId!));
  return false;
}

function toMessage(
  ctx: HandlerContext,
  conn: Connection,
  packet: IPublishPacket,
  topic: string,
): BrokerMessage {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  const message: { -readonly [K in keyof BrokerMessage]: BrokerMessage[K] } = {
    topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    clientId: conn.clientId,
    receivedAt: ctx.clock.now(),
  };
  const props = packet.properties;
  if (props) {
    // Topic alias and subscription identifiers are per connection and never forwarded [MQTT-3.3.2-11].
    const { topicAlias: _alias, subscriptionIdentifier: _subId, ...forwarded } = props;
    if (Object.keys(forwarded).length > 0) message.properties = forwarded;
  }
  return message;
}

/**
 * PUBACK/PUBREC tell the publisher the broker owns the message, so with persistence they wait
 * until the message (queued for persistent subscribers, retained, its QoS 2 packet id) is
 * durable; a crash before that makes the publisher resend, never lose it. Acks deferred this
 * way leave in the order the PUBLISHes came in [MQTT-4.6.0-2/3]. A message that reached durable
 * in-process subscribers (`holds`) also waits for them, in the connection's AckQueue; so does
 * every later ack while that queue is not empty, to keep the order.
 */
function ack(
  ctx: HandlerContext,
  conn: Connection,
  packet: IPublishPacket,
  reasonCode: number,
  holds?: Holds,
): void {
  if (packet.qos === 0) return;
  const { qos, messageId } = packet;
  if (holds !== undefined || (conn.acks !== undefined && !conn.acks.idle)) {
    (conn.acks ??= new AckQueue(ctx, conn)).add(qos, messageId!, reasonCode, holds);
    return;
  }
  if (ctx.durable) {
    sendPublishAck(conn, qos, messageId!, reasonCode);
    return;
  }
  ctx.afterDurable(() => sendPublishAck(conn, qos, messageId!, reasonCode));
}
