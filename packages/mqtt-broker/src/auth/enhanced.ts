import type { IdentityGrants } from './source.js';

/**
 * MQTT 5 enhanced authentication (§4.12): a challenge/response exchange carried in the
 * Authentication Method and Authentication Data properties of CONNECT, AUTH and CONNACK.
 * An authenticator is registered under its method name (e.g. "SCRAM-SHA-256") and starts one
 * exchange per CONNECT or re-authentication; the broker's AUTH handler drives it:
 *
 *     CONNECT(method, data) → step → continue(data) → AUTH 0x18 → client AUTH 0x18(data) → step …
 *                                  → success(data)  → CONNACK 0x00 (method, data)
 *                                  → failure        → CONNACK 0x86 / 0x87, close [MQTT-4.12.0-4]
 *
 * Re-authentication (§4.12.1) runs the same steps started by a client AUTH 0x19 on an open
 * connection and ends with AUTH 0x00, or DISCONNECT 0x87 on failure.
 */
export interface EnhancedAuthenticator {
  /** The Authentication Method, compared exactly (a UTF-8 string, §3.1.2.11.9). */
  readonly method: string;
  /** Begins an exchange; one exchange object serves one CONNECT or one re-authentication. */
  start(req: EnhancedAuthRequest): EnhancedAuthExchange;
}

export interface EnhancedAuthRequest {
  readonly clientId: string;
  /** User Name from CONNECT, when sent. */
  readonly username?: string;
  readonly remoteAddress?: string;
  readonly listener?: string;
  /** The identity the connection already has, during re-authentication. */
  readonly authenticatedAs?: string;
}

export interface EnhancedAuthExchange {
  /**
   * Consumes the client's Authentication Data (from CONNECT, then from each AUTH) and says what
   * happens next. Called at most once at a time, in order; never after success or failure.
   */
  step(data: Buffer | undefined): Promise<EnhancedAuthStep>;
}

export type EnhancedAuthStep =
  | { readonly kind: 'continue'; readonly data?: Buffer }
  | ({ readonly kind: 'success'; readonly username: string; readonly data?: Buffer } & IdentityGrants)
  | {
      readonly kind: 'failure';
      readonly reason: 'bad_credentials' | 'not_authorized';
      /** For logs and events only; the client learns just the reason code. */
      readonly detail: string;
    };
