import type { Clock, Logger } from '@watershed/common';
import { errors, jwtVerify, type CryptoKey, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuthErrors } from './errors.js';
import { parseAclGrant } from './grants.js';
import { JwksCache } from './jwks.js';
import { fillPlaceholders } from './placeholders.js';
import type { JwtSourceConfig } from './schema.js';
import { IGNORE, type AuthRequest, type AuthSource, type AuthVerdict } from './source.js';

export interface JwtSourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A compact JWS: three base64url parts (RFC 7515 §7.1). Anything else is some other credential. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
/** Algorithms a public key of each type may verify; pinned so a token cannot choose (RFC 8725 §2.1). */
const ALGORITHMS_BY_KEY: Record<string, string[]> = {
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  ec: ['ES256', 'ES384', 'ES512'],
  ed25519: ['EdDSA', 'Ed25519'],
};

/**
 * JSON Web Tokens (RFC 7519) as credentials, verified with jose: an HMAC secret, a PEM public
 * key or a JWKS URL; `exp`/`nbf` with a clock skew on the injected clock, `iss`, `aud`, and
 * claims bound to the username or client id (`verifyClaims: { sub: "${username}" }`). A token
 * may carry the client's ACL and a superuser flag, as with EMQX's JWT authenticator, and its
 * expiry ends the connection when `disconnectOnExpiry` is set.
 *
 * A credential that is not a compact JWS is ignored (so password users can share a listener);
 * a token that fails verification is denied; a key that cannot be obtained (JWKS down) is a
 * failure of the source, which the chain turns into a refusal.
 */
export class JwtSource implements AuthSource {
  readonly kind = 'jwt';
  readonly #config: JwtSourceConfig;
  readonly #clock: Clock;
  readonly #key: CryptoKey | KeyObject | Uint8Array | JWTVerifyGetKey;
  readonly #algorithms: string[] | undefined;
  readonly #jwks: JwksCache | undefined;

  constructor(config: JwtSourceConfig, deps: JwtSourceDeps) {
    this.#config = config;
    this.#clock = deps.clock;
    if (config.secret !== undefined) {
      this.#key = config.secretBase64
        ? Buffer.from(config.secret, 'base64')
        : Buffer.from(config.secret, 'utf8');
      this.#algorithms = config.algorithms ?? HMAC_ALGORITHMS;
    } else if (config.publicKeyFile !== undefined) {
      const key = readPublicKey(config.publicKeyFile);
      this.#key = key;
      this.#algorithms = config.algorithms ?? ALGORITHMS_BY_KEY[key.asymmetricKeyType ?? ''];
    } else if (config.jwksUrl !== undefined) {
      this.#jwks = new JwksCache({
        url: config.jwksUrl,
        clock: deps.clock,
        logger: deps.logger,
        cacheMaxAgeMs: config.jwks.cacheMaxAgeS * 1000,
        minRefetchIntervalMs: config.jwks.minRefetchIntervalS * 1000,
        timeoutMs: config.jwks.timeoutMs,
      });
      this.#key = this.#jwks.getKey;
      // Each JWK names its own key type; jose refuses an alg that does not fit it.
      this.#algorithms = config.algorithms;
    } else {
      throw AuthErrors.JWT_KEY_INVALID.create([
        '(none)',
        'one of secret, publicKeyFile, jwksUrl is required',
      ]);
    }
  }

  /** The JWKS cache, when keys come from a URL. */
  get jwks(): JwksCache | undefined {
    return this.#jwks;
  }

  async authenticate(req: AuthRequest): Promise<AuthVerdict> {
    const c = this.#config;
    const token = c.from === 'password' ? req.password?.toString('utf8') : req.username;
    if (token === undefined || !COMPACT_JWS.test(token)) return IGNORE;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#key as JWTVerifyGetKey, {
        ...(this.#algorithms && { algorithms: this.#algorithms }),
        ...(c.issuer !== undefined && { issuer: c.issuer }),
        ...(c.audience !== undefined && { audience: c.audience }),
        clockTolerance: c.clockSkewS,
        currentDate: new Date(this.#clock.now()),
        ...(c.requireExpiry && { requiredClaims: ['exp'] }),
      }));
    } catch (err) {
      if (isTokenError(err)) return deny(`${err.code}: ${err.message}`);
      throw err;
    }
    for (const [claim, template] of Object.entries(c.verifyClaims)) {
      const expected = fillPlaceholders(template, req);
      if (payload[claim] !== expected) return deny(`claim ${claim} does not match`);
    }
    let acl;
    if (payload[c.aclClaim] !== undefined) {
      acl = parseAclGrant(payload[c.aclClaim]);
      if (typeof acl === 'string') return deny(`claim ${c.aclClaim}: ${acl}`);
    }
    // With the token in the username field the subject names the client; otherwise the
    // username the client sent stands (verifyClaims can bind the two).
    const username = c.from === 'username' ? payload.sub : (req.username ?? payload.sub);
    return {
      result: 'allow',
      ...(username !== undefined && { username }),
      ...(acl && { acl }),
      ...(c.superuserClaim !== undefined && payload[c.superuserClaim] === true && { superuser: true }),
      ...(c.disconnectOnExpiry && payload.exp !== undefined && { expiresAt: payload.exp * 1000 }),
    };
  }

  close(): Promise<void> {
    this.#jwks?.close();
    return Promise.resolve();
  }
}

function deny(detail: string): AuthVerdict {
  return { result: 'deny', reason: 'bad_credentials', detail };
}

/** jose errors that mean "this token is not good", as opposed to "no key could be had". */
function isTokenError(err: unknown): err is errors.JOSEError {
  return (
    err instanceof errors.JOSEError &&
    !(err instanceof errors.JWKSTimeout) &&
    !(err instanceof errors.JWKSInvalid)
  );
}

function readPublicKey(file: string): KeyObject {
  try {
    // A PEM public key (SPKI) or an X.509 certificate holding one.
    return createPublicKey(readFileSync(file));
  } catch (err) {
    throw AuthErrors.JWT_KEY_INVALID.create([file, (err as Error).message], undefined, err);
  }
}
