import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { OidcErrors } from './errors.js';
import type { OidcSettings } from './settings.js';

/** The parts of the provider's discovery document this client uses (OIDC Discovery §3). */
interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

const TIMEOUT_MS = 10_000;

/**
 * The relying-party side of the authorization-code flow with PKCE. The discovery document and
 * the key set are fetched on first use and kept; a failed discovery is retried at the next
 * login rather than failing the server's start (the provider may come up after the console).
 */
export class OidcClient {
  readonly #s: OidcSettings;
  #discovery: Promise<{ doc: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> | undefined;

  constructor(settings: OidcSettings) {
    this.#s = settings;
  }

  /** The provider's authorization URL for one login (OIDC Core §3.1.2.1, RFC 7636 §4.3). */
  async authorizationUrl(p: { state: string; nonce: string; verifier: string }): Promise<string> {
    const { doc } = await this.#discover();
    const url = new URL(doc.authorization_endpoint);
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', this.#s.clientId);
    q.set('redirect_uri', this.#s.redirectUri);
    q.set('scope', this.#s.scopes.join(' '));
    q.set('state', p.state);
    q.set('nonce', p.nonce);
    q.set('code_challenge', createHash('sha256').update(p.verifier).digest('base64url'));
    q.set('code_challenge_method', 'S256');
    return url.toString();
  }

  /**
   * Redeems the code and returns the user's claims: the ID token's, verified (signature by the
   * provider's keys, issuer, audience, expiry, nonce), merged with the UserInfo answer when the
   * provider has that endpoint (many put roles and groups only there; OIDC Core §5.3.2 requires
   * its `sub` to equal the token's).
   */
  async redeem(code: string, verifier: string, nonce: string): Promise<Record<string, unknown>> {
    const { doc, jwks } = await this.#discover();
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.#s.redirectUri,
      code_verifier: verifier,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    // client_secret_basic (RFC 6749 §2.3.1): id and secret form-urlencoded, then base64.
    if (this.#s.clientSecret !== undefined) {
      const user = encodeURIComponent(this.#s.clientId);
      const pass = encodeURIComponent(this.#s.clientSecret);
      headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    } else body.set('client_id', this.#s.clientId);
    const tokens = await this.#json(
      doc.token_endpoint,
      { method: 'POST', headers, body: body.toString() },
      'token',
    );
    const idToken = tokens['id_token'];
    if (typeof idToken !== 'string') throw OidcErrors.PROVIDER.create(['token', 'no id_token in the answer']);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(idToken, jwks, {
        issuer: doc.issuer,
        audience: this.#s.clientId,
        clockTolerance: 60,
      }));
    } catch (err) {
      throw OidcErrors.TOKEN.create([(err as Error).message]);
    }
    if (claims['nonce'] !== nonce) throw OidcErrors.TOKEN.create(['nonce does not match this login']);
    const accessToken = tokens['access_token'];
    if (doc.userinfo_endpoint === undefined || typeof accessToken !== 'string') return claims;
    const info = await this.#json(
      doc.userinfo_endpoint,
      { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
      'userinfo',
    );
    if (info['sub'] !== claims.sub) throw OidcErrors.TOKEN.create(['userinfo is about another subject']);
    return { ...info, ...claims };
  }

  #discover(): Promise<{ doc: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> {
    this.#discovery ??= (async () => {
      const base = this.#s.issuer.replace(/\/$/, '');
      const doc = (await this.#json(
        `${base}/.well-known/openid-configuration`,
        {},
        'discovery',
      )) as unknown as Discovery;
      // OIDC Discovery §4.3: the document's issuer must be exactly the configured one.
      if (doc.issuer !== this.#s.issuer && doc.issuer !== base)
        throw OidcErrors.PROVIDER.create([
          'discovery',
          `issuer is ${doc.issuer}, configured ${this.#s.issuer}`,
        ]);
      for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const)
        if (typeof doc[k] !== 'string') throw OidcErrors.PROVIDER.create(['discovery', `no ${k}`]);
      return { doc, jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: TIMEOUT_MS }) };
    })();
    this.#discovery.catch(() => (this.#discovery = undefined));
    return this.#discovery;
  }

  async #json(url: string, init: RequestInit, step: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw OidcErrors.UNREACHABLE.create([url, (err as Error).message]);
    }
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!res.ok || body === undefined || typeof body !== 'object') {
      const said = [body?.['error_description'], body?.['error']].find((v) => typeof v === 'string');
      throw OidcErrors.PROVIDER.create([step, typeof said === 'string' ? said : `HTTP ${res.status}`]);
    }
    return body;
  }
}
