import type { IConnackPacket, IConnectPacket } from 'mqtt-packet';
import { randomBytes } from 'node:crypto';
import type { Connection, Will } from '../connection.js';
import type { HandlerContext } from '../context.js';
import { topicNameError } from '../topic/validate.js';
import type { AuthenticateInput, AuthenticateResult, ClientAuthz, ClientInfo } from '../types.js';
import { ConnectionAuth } from './auth.js';

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
  // Only reachable in MQTT 5 (an enhanced exchange out of sequence).
  protocolError: { v4: 3, v5: 0x82 },
} as const;
type RefusalKind = keyof typeof Refusal;
const REFUSAL_BY_REASON = {
  bad_credentials: 'badCredentials',
  not_authorized: 'notAuthorized',
  banned: 'banned',
} as const satisfies Record<string, RefusalKind>;

/** Session Expiry Interval meaning "never expires" (MQTT 5 §3.1.2.11.2); MQTT 3 persistent sessions use it. */
const NEVER_EXPIRES = 0xffffffff;

/** Who the client turned out to be, and what came with it. */
interface Identity {
  readonly username: string | undefined;
  readonly authz: ClientAuthz | undefined;
  readonly expiresAt: number | undefined;
  /** MQTT 5 enhanced authentication: the method and the server's final data, for CONNACK. */
  readonly enhanced?: { readonly method: string; readonly data: Buffer | undefined };
}

/**
 * CONNECT: validate → identify → [enhanced exchange] → authenticate → open session → CONNACK → resume delivery.
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
    const clientId = identify(ctx, conn, packet);
    if (clientId === undefined) return;
    if (!validateWill(conn, packet)) return;
    // Operator bans are checked before any authentication runs, so a banned client costs no
    // hashing or callout; again below when authentication named a different user.
    if (banned(ctx, conn, clientId, packet.username)) return;
    const method = version === 5 ? packet.properties?.authenticationMethod : undefined;
    const enhanced = method === undefined ? undefined : await exchange(ctx, conn, packet, clientId, method);
    if (enhanced === null) return;
    const identity = await authenticate(ctx, conn, packet, clientId, enhanced);
    if (identity === undefined) return;
    if (identity.username !== packet.username && banned(ctx, conn, clientId, identity.username)) return;
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
      ...(identity.authz !== undefined && { authz: identity.authz }),
    };
    conn.info = info;
    if (!authorizeWill(ctx, conn, info)) return;
    openSession(ctx, conn, packet, info, identity);
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

/**
 * Runs an MQTT 5 enhanced-authentication exchange (§4.12) to its end. Returns the proved
 * identity, or null when the client was refused (CONNACK sent, connection closing).
 */
async function exchange(
  ctx: HandlerContext,
  conn: Connection,
  packet: IConnectPacket,
  clientId: string,
  method: string,
): Promise<(NonNullable<AuthenticateInput['enhanced']> & { data: Buffer | undefined }) | null> {
  const authenticator = ctx.enhancedAuth?.(method, conn.origin.listener);
  if (authenticator === undefined) {
    // [MQTT-4.12.0-1] a method the server does not offer: 0x8C Bad authentication method.
    emitAuthn(ctx, conn, clientId, packet.username, { ok: false, source: method, reason: 'bad_method' });
    refuse(conn, 'badAuthenticationMethod', `authentication method ${method} not supported`);
    return null;
  }
  const auth = new ConnectionAuth(ctx, conn, authenticator);
  conn.auth = auth;
  const result = await auth.exchangeOnConnect(packet, clientId);
  if (!result.ok) {
    if (result.refusal === 'closed') {
      conn.close('client_left_authentication', { detail: result.detail });
      return null;
    }
    emitAuthn(ctx, conn, clientId, packet.username, {
      ok: false,
      source: method,
      reason: result.reason,
      detail: result.detail,
    });
    refuse(conn, result.refusal, 'authentication failed');
    return null;
  }
  const { username, superuser, acl, expiresAt, data } = result.step;
  return {
    method,
    username,
    data,
    ...(superuser !== undefined && { superuser }),
    ...(acl !== undefined && { acl }),
    ...(expiresAt !== undefined && { expiresAt }),
  };
}

/** Runs the authentication hook; returns the accepted identity, or undefined when refused. */
async function authenticate(
  ctx: HandlerContext,
  conn: Connection,
  packet: IConnectPacket,
  clientId: string,
  enhanced: (NonNullable<AuthenticateInput['enhanced']> & { data: Buffer | undefined }) | undefined,
): Promise<Identity | undefined> {
  const hook = ctx.authenticate;
  const proved = enhanced && { method: enhanced.method, data: enhanced.data };
  if (!hook) {
    const username = enhanced?.username ?? packet.username;
    emitAuthn(ctx, conn, clientId, username, { ok: true, source: enhanced?.method });
    return { username, authz: undefined, expiresAt: undefined, ...(proved && { enhanced: proved }) };
  }
  let answer: boolean | AuthenticateResult;
  try {
    answer = await hook({
      clientId,
      ...(packet.username !== undefined && { username: packet.username }),
      ...(packet.password !== undefined && { password: packet.password }),
      ...(conn.remoteAddress !== undefined && { remoteAddress: conn.remoteAddress }),
      ...(conn.origin.listener !== undefined && { listener: conn.origin.listener }),
      ...(conn.origin.certificateCN !== undefined && { certificateCN: conn.origin.certificateCN }),
      ...(conn.origin.certificateSAN !== undefined && { certificateSAN: conn.origin.certificateSAN }),
      ...(enhanced && { enhanced: withoutData(enhanced) }),
    });
  } catch (err) {
    ctx.logger.warn({ err, clientId }, 'MQTT authenticate hook failed');
    emitAuthn(ctx, conn, clientId, packet.username, { ok: false, reason: 'error' });
    refuse(conn, 'serverUnavailable', 'authentication failed with an error');
    return undefined;
  }
  if (answer === true || (typeof answer === 'object' && answer.ok)) {
    const ok = typeof answer === 'object' ? answer : undefined;
    const username = ok?.username ?? enhanced?.username ?? packet.username;
    const authz =
      ok?.superuser || ok?.acl
        ? { ...(ok.superuser && { superuser: true }), ...(ok.acl && { acl: ok.acl }) }
        : undefined;
    emitAuthn(ctx, conn, clientId, username, { ok: true, source: ok?.source ?? enhanced?.method });
    return { username, authz, expiresAt: ok?.expiresAt, ...(proved && { enhanced: proved }) };
  }
  const hasCredentials = packet.username !== undefined || packet.password !== undefined;
  const kind: RefusalKind =
    answer === false
      ? hasCredentials
        ? 'badCredentials'
        : 'notAuthorized'
      : REFUSAL_BY_REASON[answer.reason];
  emitAuthn(ctx, conn, clientId, packet.username, {
    ok: false,
    reason: answer === false ? kind : answer.reason,
    ...(answer !== false && { source: answer.source, detail: answer.detail }),
  });
  refuse(conn, kind, 'authentication refused');
  return undefined;
}

function withoutData<T extends { data?: unknown }>(e: T): Omit<T, 'data'> {
  const { data: _data, ...rest } = e;
  return rest;
}

function emitAuthn(
  ctx: HandlerContext,
  conn: Connection,
  clientId: string,
  username: string | undefined,
  outcome: { ok: boolean; source?: string | undefined; reason?: string; detail?: string | undefined },
): void {
  ctx.emit('client_authn', {
    clientId,
    username,
    remoteAddress: conn.remoteAddress,
    listener: conn.origin.listener,
    ok: outcome.ok,
    source: outcome.source,
    ...(outcome.reason !== undefined && { reason: outcome.reason }),
    ...(outcome.detail !== undefined && { detail: outcome.detail }),
    reauth: false,
  });
}

/** Refuses a client an operator banned: CONNACK 0x8A Banned (MQTT 3.1.1: 5 not authorised). */
function banned(
  ctx: HandlerContext,
  conn: Connection,
  clientId: string,
  username: string | undefined,
): boolean {
  const ban = ctx.admin.banned({ clientId, username, remoteAddress: conn.remoteAddress });
  if (ban === undefined) return false;
  emitAuthn(ctx, conn, clientId, username, {
    ok: false,
    source: 'ban',
    reason: 'banned',
    detail: ban.reason,
  });
  refuse(conn, 'banned', 'banned');
  return true;
}

/** The will is a publish made on the client's behalf, so the publish ACL applies to its topic. */
function authorizeWill(ctx: HandlerContext, conn: Connection, info: ClientInfo): boolean {
  const hook = ctx.authorizePublish;
  if (!conn.will || !hook || hook(info, conn.will.topic)) return true;
  refuse(conn, 'notAuthorized', `will topic ${conn.will.topic} not authorized`);
  return false;
}

function openSession(
  ctx: HandlerContext,
  conn: Connection,
  packet: IConnectPacket,
  info: ClientInfo,
  identity: Identity,
): void {
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
      ? {
          cmd: 'connack',
          reasonCode: 0,
          sessionPresent: present,
          properties: { ...connackProperties(ctx, conn), ...enhancedProperties(identity) },
        }
      : // [MQTT-3.2.2-1/2] Session Present is 0 for a clean session.
        { cmd: 'connack', returnCode: 0, sessionPresent: present },
  );
  conn.established(packet.keepalive ?? 0);
  if (identity.expiresAt !== undefined)
    (conn.auth ??= new ConnectionAuth(ctx, conn)).expireAt(identity.expiresAt);
  session.attach(conn);
  ctx.admin.admitted(conn, packet.keepalive ?? 0, cleanStart);
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

/** After enhanced authentication CONNACK names the method and carries the final data (§3.2.2.3.17-18). */
function enhancedProperties(identity: Identity): {
  authenticationMethod?: string;
  authenticationData?: Buffer;
} {
  const e = identity.enhanced;
  if (e === undefined) return {};
  return { authenticationMethod: e.method, ...(e.data !== undefined && { authenticationData: e.data }) };
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
