import type { IConnackPacket, IConnectPacket } from 'mqtt-packet';
import { randomBytes } from 'node:crypto';
import type { Connection, Will } from '../connection.js';
import type { HandlerContext } from '../context.js';
import { topicNameError } from '../topic/validate.js';
import type { AuthenticateResult, ClientInfo } from '../types.js';

/** CONNACK return codes of MQTT 3.1.1 (§3.2.2.3) and the MQTT 5 reason codes that replace them. */
const Refusal = {
  protocolVersion: { v4: 1, v5: 0x84 },
  identifierRejected: { v4: 2, v5: 0x85 },
  serverUnavailable: { v4: 3, v5: 0x88 },
  badCredentials: { v4: 4, v5: 0x86 },
  notAuthorized: { v4: 5, v5: 0x87 },
  // MQTT 3.1.1 has no "banned" code; 5 (not authorised) is the closest.
  banned: { v4: 5, v5: 0x8a },
  serverBusy: { v4: 3, v5: 0x89 },
  topicNameInvalid: { v4: 3, v5: 0x90 },
  badAuthenticationMethod: { v4: 3, v5: 0x8c },
} as const;
type RefusalKind = keyof typeof Refusal;
const REFUSAL_BY_REASON = {
  bad_credentials: 'badCredentials',
  not_authorized: 'notAuthorized',
  banned: 'banned',
} as const satisfies Record<string, RefusalKind>;

/** Session Expiry Interval meaning "never expires" (MQTT 5 §3.1.2.11.2); MQTT 3 persistent sessions use it. */
const NEVER_EXPIRES = 0xffffffff;

/**
 * CONNECT: validate → identify → authenticate → open session → CONNACK → resume delivery.
 * Returns once the connection is accepted or refused; never rejects (failures close the
 * connection with a logged reason).
 */
export async function handleConnect(
  ctx: HandlerContext,
  conn: Connection,
  packet: IConnectPacket,
): Promise<void> {
  try {
    const version = packet.protocolVersion ?? 4;
    conn.setProtocolVersion(version);
    if (packet.properties?.authenticationMethod !== undefined) {
      // Enhanced authentication (MQTT 5 §4.12) is not offered: 0x8C Bad authentication method.
      refuse(
        conn,
        'badAuthenticationMethod',
        `authentication method ${packet.properties.authenticationMethod} not supported`,
      );
      return;
    }
    const clientId = identify(ctx, conn, packet);
    if (clientId === undefined) return;
    if (!validateWill(conn, packet)) return;
    const identity = await authenticate(ctx, conn, packet, clientId);
    if (identity === undefined) return;
    // The socket may have gone while the authenticator was thinking.
    if (conn.closed) return;
    // A takeover replaces a connection, so it does not count against the limit.
    if (ctx.connectedCount >= ctx.limits.maxConnections && !ctx.isConnected(clientId)) {
      refuse(conn, 'serverBusy', 'too many connections');
      return;
    }
    const info: ClientInfo = {
      clientId,
      username: identity.username,
      remoteAddress: conn.remoteAddress,
      protocolVersion: conn.protocolVersion,
      ...(conn.origin.listener !== undefined && { listener: conn.origin.listener }),
    };
    conn.info = info;
    if (!authorizeWill(ctx, conn, info)) return;
    openSession(ctx, conn, packet, info);
  } catch (err) {
    ctx.logger.error({ err, clientId: packet.clientId }, 'MQTT CONNECT handling failed');
    // Past CONNACK the connection is simply closed (MQTT 5: 0x83 implementation specific error).
    if (conn.connected) conn.close('internal_error', { reasonCode: 0x83, detail: err });
    else refuse(conn, 'serverUnavailable', 'internal error');
  }
}

/** Applies the client identifier rules; returns the id to use, or undefined when refused. */
function identify(ctx: HandlerContext, conn: Connection, packet: IConnectPacket): string | undefined {
  const id = packet.clientId;
  if (conn.protocolVersion === 3) {
    // MQTT 3.1 §3.1: the client identifier is 1 to 23 characters.
    if (id.length < 1 || id.length > 23)
      return refuse(conn, 'identifierRejected', 'MQTT 3.1 client id must be 1-23 characters');
    return id;
  }
  if (id.length > 0) return id;
  // [MQTT-3.1.3-8] an empty client id with CleanSession=0 is rejected in MQTT 3.1.1.
  if (conn.protocolVersion === 4 && !packet.clean) {
    return refuse(conn, 'identifierRejected', 'empty client id requires a clean session');
  }
  // [MQTT-3.1.3-6] the server assigns a unique id; MQTT 5 returns it in CONNACK [MQTT-3.2.2-16].
  const assigned = `${ctx.nodeName}-${randomBytes(8).toString('hex')}`;
  conn.assignedClientId = assigned;
  return assigned;
}

function validateWill(conn: Connection, packet: IConnectPacket): boolean {
  const will = packet.will;
  if (!will) return true;
  const err = topicNameError(will.topic, Number.POSITIVE_INFINITY);
  if (err) {
    refuse(conn, 'topicNameInvalid', `will topic: ${err}`);
    return false;
  }
  const w: Will = {
    topic: will.topic,
    payload: typeof will.payload === 'string' ? Buffer.from(will.payload) : will.payload,
    qos: will.qos ?? 0,
    retain: will.retain ?? false,
    properties: will.properties ? stripWillDelay(will.properties) : undefined,
  };
  conn.will = w;
  conn.willDelaySeconds = will.properties?.willDelayInterval ?? 0;
  return true;
}

/** Runs the authentication hook; returns the accepted identity, or undefined when refused. */
async function authenticate(
  ctx: HandlerContext,
  conn: Connection,
  packet: IConnectPacket,
  clientId: string,
): Promise<{ username: string | undefined } | undefined> {
  const hook = ctx.authenticate;
  if (!hook) return { username: packet.username };
  let answer: boolean | AuthenticateResult;
  try {
    answer = await hook({
      clientId,
      ...(packet.username !== undefined && { username: packet.username }),
      ...(packet.password !== undefined && { password: packet.password }),
      ...(conn.remoteAddress !== undefined && { remoteAddress: conn.remoteAddress }),
      ...(conn.origin.listener !== undefined && { listener: conn.origin.listener }),
      ...(conn.origin.certificateCN !== undefined && { certificateCN: conn.origin.certificateCN }),
    });
  } catch (err) {
    ctx.logger.warn({ err, clientId }, 'MQTT authenticate hook failed');
    refuse(conn, 'serverUnavailable', 'authentication failed with an error');
    return undefined;
  }
  if (answer === true) return { username: packet.username };
  if (typeof answer === 'object' && answer.ok) return { username: answer.username ?? packet.username };
  const hasCredentials = packet.username !== undefined || packet.password !== undefined;
  const kind: RefusalKind =
    answer === false
      ? hasCredentials
        ? 'badCredentials'
        : 'notAuthorized'
      : REFUSAL_BY_REASON[answer.reason];
  refuse(conn, kind, 'authentication refused');
  return undefined;
}

/** The will is a publish made on the client's behalf, so the publish ACL applies to its topic. */
function authorizeWill(ctx: HandlerContext, conn: Connection, info: ClientInfo): boolean {
  const hook = ctx.authorizePublish;
  if (!conn.will || !hook || hook(info, conn.will.topic)) return true;
  refuse(conn, 'notAuthorized', `will topic ${conn.will.topic} not authorized`);
  return false;
}

function openSession(ctx: HandlerContext, conn: Connection, packet: IConnectPacket, info: ClientInfo): void {
  const clientId = info.clientId;
  const v5 = conn.protocolVersion === 5;
  const cleanStart = packet.clean ?? true;
  const expiry = v5 ? (packet.properties?.sessionExpiryInterval ?? 0) : cleanStart ? 0 : NEVER_EXPIRES;
  conn.clientId = clientId;
  conn.username = info.username;
  if (v5) {
    const props = packet.properties;
    if (props?.receiveMaximum) conn.inflightLimit = Math.min(props.receiveMaximum, ctx.limits.maxInflight);
    if (props?.maximumPacketSize) conn.clientMaxPacketSize = props.maximumPacketSize;
    conn.clientTopicAliasMaximum = props?.topicAliasMaximum ?? 0;
  }
  const { session, present } = ctx.openSession(conn, clientId, cleanStart, expiry);
  conn.session = session;
  conn.send(
    v5
      ? { cmd: 'connack', reasonCode: 0, sessionPresent: present, properties: connackProperties(ctx, conn) }
      : // [MQTT-3.2.2-1/2] Session Present is 0 for a clean session.
        { cmd: 'connack', returnCode: 0, sessionPresent: present },
  );
  conn.established(packet.keepalive ?? 0);
  session.attach(conn);
  ctx.clientConnected(conn, { ...info, cleanStart, sessionPresent: present });
  conn.resumeInput();
}

function connackProperties(ctx: HandlerContext, conn: Connection): NonNullable<IConnackPacket['properties']> {
  return {
    ...(conn.assignedClientId !== undefined && { assignedClientIdentifier: conn.assignedClientId }),
    maximumPacketSize: ctx.limits.maxPacketSize,
    // QoS 2 messages the client may have awaiting PUBREL at once (QoS 1 is acked at once).
    receiveMaximum: ctx.limits.maxInflight,
    topicAliasMaximum: ctx.limits.topicAliasMaximum,
    retainAvailable: true,
    wildcardSubscriptionAvailable: true,
    subscriptionIdentifiersAvailable: true,
    sharedSubscriptionAvailable: true,
  };
}

/** Sends a refusing CONNACK and closes [MQTT-3.2.2-5]; returns undefined for convenience. */
function refuse(conn: Connection, kind: RefusalKind, detail: string): undefined {
  const code = Refusal[kind];
  conn.send(
    conn.protocolVersion === 5
      ? { cmd: 'connack', reasonCode: code.v5, sessionPresent: false, properties: { reasonString: detail } }
      : { cmd: 'connack', returnCode: code.v4, sessionPresent: false },
  );
  conn.close(`connect_refused_${kind}`, { detail, flush: true });
  return undefined;
}

function stripWillDelay<T extends { willDelayInterval?: number }>(
  props: T,
): Omit<T, 'willDelayInterval'> | undefined {
  const { willDelayInterval: _ignored, ...rest } = props;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
