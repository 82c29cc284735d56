import type { ISubscribePacket, ISubscription, IUnsubscribePacket } from 'mqtt-packet';
import type { Connection } from '../connection.js';
import type { HandlerContext } from '../context.js';
import type { SessionSubscription } from '../session.js';
import { parseSubscriptionFilter } from '../topic/validate.js';

/** SUBACK failure codes: MQTT 3.1.1 has one (0x80); MQTT 5 says why (§3.9.3). */
const FAILURE = 0x80;
const NOT_AUTHORIZED = 0x87;
const FILTER_INVALID = 0x8f;
const NO_SUBSCRIPTION_EXISTED = 0x11;
const QUOTA_EXCEEDED = 0x97;

/**
 * SUBSCRIBE: for each filter validate → authorize → add; then SUBACK; then retained messages
 * (after the SUBACK [MQTT-3.8.4-4], per Retain Handling).
 */
export function handleSubscribe(ctx: HandlerContext, conn: Connection, packet: ISubscribePacket): void {
  const session = conn.session!;
  const subscriptionId = packet.properties?.subscriptionIdentifier;
  if (subscriptionId === 0) {
    // [MQTT-3.8.2-1 / §3.8.2.1.2] a Subscription Identifier of 0 is a protocol error.
    conn.protocolError('protocol_error', 'Subscription Identifier 0');
    return;
  }
  const codes: number[] = [];
  const retainedDue: SessionSubscription[] = [];
  for (const request of packet.subscriptions) {
    const sub = validate(ctx, conn, request, subscriptionId);
    if (typeof sub === 'number') {
      if (sub < 0) return; // connection closed
      codes.push(sub);
      continue;
    }
    if (!authorize(ctx, conn, sub)) {
      codes.push(conn.protocolVersion === 5 ? NOT_AUTHORIZED : FAILURE);
      continue;
    }
    // Bounded memory: a client cannot grow the routing trie without limit.
    if (
      !session.subscriptions.has(sub.raw) &&
      session.subscriptions.size >= ctx.limits.maxSubscriptionsPerClient
    ) {
      codes.push(conn.protocolVersion === 5 ? QUOTA_EXCEEDED : FAILURE);
      continue;
    }
    const isNew = ctx.addSubscription(session, sub);
    codes.push(sub.qos);
    if (wantsRetained(request, isNew, sub)) retainedDue.push(sub);
  }
  conn.send({ cmd: 'suback', messageId: packet.messageId!, granted: codes });
  for (const sub of retainedDue) ctx.deliverRetained(session, sub);
}

/** Returns the subscription, a SUBACK failure code, or -1 when the connection was closed. */
function validate(
  ctx: HandlerContext,
  conn: Connection,
  request: ISubscription,
  subscriptionId: number | undefined,
): SessionSubscription | number {
  const parsed = parseSubscriptionFilter(request.topic, ctx.limits.maxTopicLevels);
  if (typeof parsed === 'string') {
    ctx.logger.debug(
      { clientId: conn.clientId, filter: request.topic, reason: parsed },
      'MQTT subscribe refused',
    );
    return conn.protocolVersion === 5 ? FILTER_INVALID : FAILURE;
  }
  if (parsed.group !== undefined && request.nl) {
    // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error.
    conn.protocolError('protocol_error', 'No Local set on a shared subscription');
    return -1;
  }
  return {
    raw: request.topic,
    filter: parsed.filter,
    group: parsed.group,
    // The broker supports QoS 2, so the granted QoS is the requested one [MQTT-3.9.3-1].
    qos: request.qos,
    noLocal: conn.protocolVersion === 5 && (request.nl ?? false),
    retainAsPublished: conn.protocolVersion === 5 && (request.rap ?? false),
    subscriptionId,
  };
}

function authorize(ctx: HandlerContext, conn: Connection, sub: SessionSubscription): boolean {
  const hook = ctx.authorizeSubscribe;
  return !hook || hook(conn.info!, sub.raw);
}

/**
 * Retain Handling (MQTT 5 §3.8.3.1): 0 send, 1 send only for a new subscription, 2 never.
 * Shared subscriptions never receive retained messages at subscribe time [MQTT-4.8.2 note].
 */
function wantsRetained(request: ISubscription, isNew: boolean, sub: SessionSubscription): boolean {
  if (sub.group !== undefined) return false;
  const rh = request.rh ?? 0;
  return rh === 0 || (rh === 1 && isNew);
}

/** UNSUBSCRIBE: remove each filter, then UNSUBACK (MQTT 5 says per filter whether it existed). */
export function handleUnsubscribe(ctx: HandlerContext, conn: Connection, packet: IUnsubscribePacket): void {
  const session = conn.session!;
  const codes: number[] = [];
  for (const raw of packet.unsubscriptions) {
    codes.push(ctx.removeSubscription(session, raw) ? 0 : NO_SUBSCRIPTION_EXISTED);
  }
  if (conn.protocolVersion === 5)
    conn.send({ cmd: 'unsuback', messageId: packet.messageId!, granted: codes });
  else conn.send({ cmd: 'unsuback', messageId: packet.messageId!, granted: [] });
}
