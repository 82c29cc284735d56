import type { TimerHandle } from '@watershed/common';
import type { IAuthPacket, IConnectPacket, Packet } from 'mqtt-packet';
import type { EnhancedAuthenticator, EnhancedAuthExchange, EnhancedAuthStep } from '../auth/enhanced.js';
import type { Connection } from '../connection.js';
import type { HandlerContext } from '../context.js';

/** AUTH reason codes (MQTT 5 §3.15.2.1). */
const AuthReason = { success: 0x00, continue: 0x18, reauthenticate: 0x19 } as const;
/** node's timers hold at most 2^31−1 ms (~24.8 days); longer expiries are re-armed. */
const MAX_TIMER_MS = 0x7fffffff;

/** How an enhanced exchange at CONNECT ended, for connect.ts to answer. */
export type ConnectExchangeResult =
  | {
      readonly ok: true;
      readonly method: string;
      readonly step: Extract<EnhancedAuthStep, { kind: 'success' }>;
    }
  | {
      readonly ok: false;
      readonly refusal:
        'badAuthenticationMethod' | 'badCredentials' | 'notAuthorized' | 'protocolError' | 'closed';
      readonly reason: string;
      readonly detail: string;
    };

/**
 * The authentication state of one connection, created only where needed: an MQTT 5 enhanced
 * exchange (§4.12) at CONNECT and later re-authentications (§4.12.1), and the timer that
 * closes the connection when its identity expires (a JWT's `exp`). Owned by the connection,
 * which calls `dispose` when it closes.
 */
export class ConnectionAuth {
  /** Authentication Method of the CONNECT, when it named one. */
  readonly method: string | undefined;
  readonly #ctx: HandlerContext;
  readonly #conn: Connection;
  readonly #authenticator: EnhancedAuthenticator | undefined;
  #waiting: { resolve(p: IAuthPacket): void; reject(err: Error): void } | undefined;
  #reauth: EnhancedAuthExchange | undefined;
  #reauthAwaitsClient = false;
  #expiry: TimerHandle | undefined;
  #disposed = false;

  constructor(ctx: HandlerContext, conn: Connection, authenticator?: EnhancedAuthenticator) {
    this.#ctx = ctx;
    this.#conn = conn;
    this.#authenticator = authenticator;
    this.method = authenticator?.method;
  }

  /**
   * A packet that arrived before CONNACK. During an exchange it is the client's AUTH (or a
   * DISCONNECT); returns false when no exchange waits, so the connection queues the packet.
   */
  receive(packet: Packet): boolean {
    const waiting = this.#waiting;
    if (waiting === undefined) return false;
    this.#waiting = undefined;
    if (packet.cmd === 'auth') waiting.resolve(packet);
    else waiting.reject(new UnexpectedPacket(packet.cmd));
    return true;
  }

  /** Closes the connection at `expiresAt` (clock ms), MQTT 5 with DISCONNECT 0xA0 Maximum connect time. */
  expireAt(expiresAt: number): void {
    if (this.#disposed) return;
    if (this.#expiry) this.#ctx.clock.clearTimeout(this.#expiry);
    const delay = Math.max(0, expiresAt - this.#ctx.clock.now());
    this.#expiry = this.#ctx.clock.setTimeout(
      () => {
        this.#expiry = undefined;
        if (delay > MAX_TIMER_MS) this.expireAt(expiresAt);
        else this.#conn.close('identity_expired', { reasonCode: 0xa0, detail: 'credentials expired' });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#expiry) this.#ctx.clock.clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#waiting?.reject(new UnexpectedPacket('close'));
    this.#waiting = undefined;
  }

  /** Runs the CONNECT exchange to success or refusal; never rejects. */
  async exchangeOnConnect(packet: IConnectPacket, clientId: string): Promise<ConnectExchangeResult> {
    const method = this.method!;
    const exchange = this.#authenticator!.start({
      clientId,
      ...(packet.username !== undefined && { username: packet.username }),
      ...(this.#conn.remoteAddress !== undefined && { remoteAddress: this.#conn.remoteAddress }),
      ...(this.#conn.origin.listener !== undefined && { listener: this.#conn.origin.listener }),
    });
    let data = packet.properties?.authenticationData;
    for (;;) {
      let step: EnhancedAuthStep;
      try {
        step = await exchange.step(data);
      } catch (err) {
        this.#ctx.logger.warn({ err, clientId, method }, 'enhanced authenticator failed');
        return {
          ok: false,
          refusal: 'notAuthorized',
          reason: 'not_authorized',
          detail: 'authenticator failed',
        };
      }
      if (this.#conn.closed)
        return { ok: false, refusal: 'closed', reason: 'closed', detail: 'connection closed' };
      if (step.kind === 'success') return { ok: true, method, step };
      if (step.kind === 'failure')
        return {
          ok: false,
          refusal: step.reason === 'bad_credentials' ? 'badCredentials' : 'notAuthorized',
          reason: step.reason,
          detail: step.detail,
        };
      // [MQTT-4.12.0-2] the server's AUTH carries 0x18 Continue authentication.
      this.#sendAuth(AuthReason.continue, step.data);
      let reply: IAuthPacket;
      try {
        reply = await this.#nextAuth();
      } catch (err) {
        const cmd = err instanceof UnexpectedPacket ? err.cmd : 'close';
        if (cmd === 'disconnect' || cmd === 'close')
          return {
            ok: false,
            refusal: 'closed',
            reason: 'closed',
            detail: `client ${cmd} during authentication`,
          };
        // [MQTT-3.1.2-30] only AUTH or DISCONNECT may precede CONNACK once a method is named.
        return {
          ok: false,
          refusal: 'protocolError',
          reason: 'protocol_error',
          detail: `${cmd} before CONNACK`,
        };
      }
      // [MQTT-4.12.0-3] the client answers with 0x18; [MQTT-4.12.0-5] naming the same method.
      if (reply.reasonCode !== AuthReason.continue || reply.properties?.authenticationMethod !== method)
        return {
          ok: false,
          refusal: 'protocolError',
          reason: 'protocol_error',
          detail: 'AUTH out of sequence',
        };
      data = reply.properties?.authenticationData;
    }
  }

  /** AUTH from a connected client: a re-authentication (§4.12.1) starting or continuing. */
  onAuth(packet: IAuthPacket): void {
    const conn = this.#conn;
    const starting = packet.reasonCode === AuthReason.reauthenticate && this.#reauth === undefined;
    const continuing = packet.reasonCode === AuthReason.continue && this.#reauthAwaitsClient;
    if (!starting && !continuing) {
      conn.protocolError(
        'protocol_error',
        `AUTH reason 0x${(packet.reasonCode ?? 0).toString(16)} out of sequence`,
      );
      return;
    }
    if (starting)
      this.#reauth = this.#authenticator!.start({
        clientId: conn.clientId,
        ...(conn.remoteAddress !== undefined && { remoteAddress: conn.remoteAddress }),
        ...(conn.origin.listener !== undefined && { listener: conn.origin.listener }),
        ...(conn.username !== undefined && { authenticatedAs: conn.username }),
      });
    this.#reauthAwaitsClient = false;
    // The client may go on sending other packets meanwhile (§4.12.1), so the step runs beside
    // them; it never rejects (a failure closes the connection).
    void this.#reauthStep(this.#reauth!, packet.properties?.authenticationData);
  }

  async #reauthStep(exchange: EnhancedAuthExchange, data: Buffer | undefined): Promise<void> {
    const conn = this.#conn;
    let step: EnhancedAuthStep;
    try {
      step = await exchange.step(data);
    } catch (err) {
      this.#ctx.logger.warn({ err, clientId: conn.clientId }, 'enhanced authenticator failed');
      step = { kind: 'failure', reason: 'not_authorized', detail: 'authenticator failed' };
    }
    if (conn.closed) return;
    if (step.kind === 'continue') {
      this.#reauthAwaitsClient = true;
      this.#sendAuth(AuthReason.continue, step.data);
      return;
    }
    this.#reauth = undefined;
    this.#emit(step.kind === 'success', step.kind === 'failure' ? step : undefined);
    if (step.kind === 'failure') {
      // [MQTT-4.12.1-2] a failed re-authentication ends the connection.
      conn.close('reauth_failed', { reasonCode: 0x87, detail: step.detail });
      return;
    }
    this.#sendAuth(AuthReason.success, step.data);
    if (step.expiresAt !== undefined) this.expireAt(step.expiresAt);
  }

  #emit(ok: boolean, failure?: { reason: string; detail: string }): void {
    const conn = this.#conn;
    this.#ctx.emit('client_authn', {
      clientId: conn.clientId,
      username: conn.username,
      remoteAddress: conn.remoteAddress,
      listener: conn.origin.listener,
      ok,
      source: this.method,
      ...(failure && { reason: failure.reason, detail: failure.detail }),
      reauth: true,
    });
  }

  #nextAuth(): Promise<IAuthPacket> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#conn.readDuringConnect();
    });
  }

  #sendAuth(reasonCode: number, data: Buffer | undefined): void {
    this.#conn.send({
      cmd: 'auth',
      reasonCode,
      properties: {
        authenticationMethod: this.method!,
        ...(data !== undefined && { authenticationData: data }),
      },
    });
  }
}

class UnexpectedPacket extends Error {
  constructor(readonly cmd: string) {
    super(`unexpected ${cmd}`);
  }
}

/** AUTH from a connected client (dispatched by `handlers/index.ts`). */
export function handleAuth(_ctx: HandlerContext, conn: Connection, packet: IAuthPacket): void {
  const auth = conn.auth;
  // [MQTT-4.12.0-7] no AUTH unless CONNECT named a method.
  if (auth?.method === undefined) {
    conn.protocolError('protocol_error', 'AUTH without an authentication method in CONNECT');
    return;
  }
  // [MQTT-4.12.1-1] re-authentication uses the method of the CONNECT.
  if (packet.properties?.authenticationMethod !== auth.method) {
    conn.protocolError('protocol_error', 'AUTH with a different authentication method');
    return;
  }
  auth.onAuth(packet);
}
