import type { AclRule } from './acl.js';

/**
 * The contract between the authentication chain and its sources. A source answers for the
 * clients it recognises and stays out of the way of the rest: `allow` and `deny` are decisive,
 * `ignore` ("not mine") passes the client on to the next source in the listener's chain.
 */

/** The identity a client certificate carries, when the TLS handshake verified one. */
export interface CertificateIdentity {
  /** Subject common name. */
  readonly cn?: string;
  /** subjectAltName entries by type (RFC 5280 §4.2.1.6), in certificate order. */
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

/** What a source sees of a CONNECT. */
export interface AuthRequest {
  readonly clientId: string;
  readonly username?: string;
  readonly password?: Buffer;
  readonly remoteAddress?: string;
  /** The listener's name. */
  readonly listener?: string;
  readonly certificate?: CertificateIdentity;
}

/** Permissions that come with an identity (JWT claims, an HTTP answer) rather than from acl[]. */
export interface IdentityGrants {
  /** Every ACL check passes (EMQX `is_superuser`). */
  readonly superuser?: boolean;
  /** Checked before acl[]; no match falls through to acl[] and the listener default. */
  readonly acl?: readonly AclRule[];
  /** Clock time (ms) after which the identity is no longer valid: the connection is closed. */
  readonly expiresAt?: number;
}

export type AuthVerdict =
  | ({ readonly result: 'allow'; readonly username?: string } & IdentityGrants)
  | {
      readonly result: 'deny';
      readonly reason: 'bad_credentials' | 'not_authorized';
      /** For logs and the authn event; never sent to the client. */
      readonly detail: string;
    }
  | { readonly result: 'ignore' };

export const IGNORE: AuthVerdict = { result: 'ignore' };

/** One way of proving who a client is. */
export interface AuthSource {
  /** Label in events, logs and metrics: 'password', 'jwt', 'certificate', 'http', … */
  readonly kind: string;
  /**
   * Decides about one client. A rejection is treated by the chain as a failure of the source
   * (logged, then `deny` — the chain never guesses in favour of an unverified client).
   */
  authenticate(req: AuthRequest): Promise<AuthVerdict>;
  /** Releases what the source holds (caches, sockets, timers). */
  close?(): Promise<void>;
}
