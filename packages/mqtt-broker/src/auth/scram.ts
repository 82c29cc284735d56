import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  EnhancedAuthExchange,
  EnhancedAuthRequest,
  EnhancedAuthStep,
  EnhancedAuthenticator,
} from './enhanced.js';
import { hmac, sha256, type ScramCredentials } from './scram-credentials.js';
import type { UserTable } from './users.js';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as an MQTT 5 enhanced authentication method, against the
 * `users[].scram` stored keys — the mechanism EMQX's SCRAM authenticator offers:
 *
 *     CONNECT  data = client-first   "n,,n=user,r=cnonce"
 *     AUTH 18  data = server-first   "r=cnonce+snonce,s=salt,i=4096"
 *     AUTH 18  data = client-final   "c=biws,r=cnonce+snonce,p=proof"
 *     CONNACK  data = server-final   "v=server-signature"
 *
 * The client proves it knows the password without sending it, and the server signature proves
 * to the client that the broker holds the keys. Channel binding (RFC 5802 §6) is not offered:
 * a client demanding it ("p=") is refused. An unknown user gets a salt derived from a per-broker
 * secret, so the exchange looks the same as for a real user until the proof fails (§5.1).
 */
export class ScramAuthenticator implements EnhancedAuthenticator {
  readonly method = SCRAM_SHA_256;
  readonly #users: UserTable;
  /** Derives stable fake salts for unknown users; random per broker start. */
  readonly #secret = randomBytes(32);
  /** Iterations shown to unknown users: the common count, so it does not set them apart. */
  readonly #fakeIterations: number;

  constructor(users: UserTable) {
    this.#users = users;
    this.#fakeIterations = users.typicalScramIterations();
  }

  start(req: EnhancedAuthRequest): EnhancedAuthExchange {
    return new ScramExchange(req, (username) => this.#credentials(username));
  }

  #credentials(username: string): { creds: ScramCredentials; known: boolean } {
    const creds = this.#users.get(username)?.scram;
    if (creds) return { creds, known: true };
    const salt = createHmac('sha256', this.#secret).update(username).digest().subarray(0, 16);
    return {
      creds: {
        iterations: this.#fakeIterations,
        salt,
        storedKey: randomBytes(32),
        serverKey: randomBytes(32),
      },
      known: false,
    };
  }
}

type State =
  | { readonly at: 'client-first' }
  | {
      readonly at: 'client-final';
      readonly username: string;
      readonly gs2Header: string;
      readonly clientFirstBare: string;
      readonly serverFirst: string;
      readonly nonce: string;
      readonly creds: ScramCredentials;
      readonly known: boolean;
    }
  | { readonly at: 'done' };

class ScramExchange implements EnhancedAuthExchange {
  readonly #req: EnhancedAuthRequest;
  readonly #lookup: (username: string) => { creds: ScramCredentials; known: boolean };
  #state: State = { at: 'client-first' };

  constructor(
    req: EnhancedAuthRequest,
    lookup: (username: string) => { creds: ScramCredentials; known: boolean },
  ) {
    this.#req = req;
    this.#lookup = lookup;
  }

  step(data: Buffer | undefined): Promise<EnhancedAuthStep> {
    const state = this.#state;
    this.#state = { at: 'done' };
    const text = data?.toString('utf8') ?? '';
    switch (state.at) {
      case 'client-first':
        return Promise.resolve(this.#clientFirst(text));
      case 'client-final':
        return Promise.resolve(finish(state, text));
      case 'done':
        return Promise.resolve(fail('exchange already finished'));
    }
  }

  #clientFirst(text: string): EnhancedAuthStep {
    // gs2-header: cbind-flag "," [authzid] "," (RFC 5802 §7).
    const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/.exec(text);
    if (!m) return fail('client-first-message is malformed');
    if (m[1]!.startsWith('p=')) return fail('channel binding is not supported');
    const clientFirstBare = m[3]!;
    const attrs = attributes(clientFirstBare);
    if (attrs === undefined || clientFirstBare.startsWith('m='))
      return fail('client-first-message is malformed');
    const username = saslName(attrs.get('n'));
    const clientNonce = attrs.get('r');
    if (username === undefined || username.length === 0 || !clientNonce)
      return fail('client-first-message lacks n= or r=');
    if (m[2] !== undefined && saslName(m[2].slice(2)) !== username)
      return fail('authzid differs from the username');
    // The MQTT User Name, if sent, must name the same user the SCRAM exchange proves.
    if (this.#req.username !== undefined && this.#req.username !== username)
      return fail('CONNECT User Name differs from the SCRAM username');
    if (this.#req.authenticatedAs !== undefined && this.#req.authenticatedAs !== username)
      return fail('re-authentication as a different user');
    const { creds, known } = this.#lookup(username);
    const nonce = clientNonce + randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${creds.salt.toString('base64')},i=${creds.iterations}`;
    this.#state = {
      at: 'client-final',
      username,
      gs2Header: text.slice(0, text.length - clientFirstBare.length),
      clientFirstBare,
      serverFirst,
      nonce,
      creds,
      known,
    };
    return { kind: 'continue', data: Buffer.from(serverFirst, 'utf8') };
  }
}

function finish(s: Extract<State, { at: 'client-final' }>, text: string): EnhancedAuthStep {
  const proofAt = text.lastIndexOf(',p=');
  if (proofAt < 0) return fail('client-final-message lacks p=');
  const withoutProof = text.slice(0, proofAt);
  const attrs = attributes(withoutProof);
  if (attrs === undefined) return fail('client-final-message is malformed');
  // c= must repeat the gs2 header (no channel-binding data, since none is offered).
  if (attrs.get('c') !== Buffer.from(s.gs2Header, 'utf8').toString('base64'))
    return fail('channel binding data mismatch');
  if (attrs.get('r') !== s.nonce) return fail('nonce mismatch');
  const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
  if (proof.length !== 32) return fail('proof has the wrong length');
  const authMessage = `${s.clientFirstBare},${s.serverFirst},${withoutProof}`;
  // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); it must hash to StoredKey (§3).
  const signature = hmac(s.creds.storedKey, authMessage);
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
  const ok = timingSafeEqual(sha256(clientKey), s.creds.storedKey);
  if (!ok || !s.known)
    return { kind: 'failure', reason: 'bad_credentials', detail: 'SCRAM proof does not match' };
  const serverSignature = hmac(s.creds.serverKey, authMessage);
  return {
    kind: 'success',
    username: s.username,
    data: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'),
  };
}

/** Splits "k=v,k=v" into a map; undefined when an attribute is not of that form. */
function attributes(text: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=') return undefined;
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** saslname (RFC 5802 §5.1): "=2C" is ",", "=3D" is "=", any other "=" is malformed. */
function saslName(value: string | undefined): string | undefined {
  if (value === undefined || /=(?!2C|3D)/.test(value)) return undefined;
  return value.replaceAll('=2C', ',').replaceAll('=3D', '=');
}

function fail(detail: string): EnhancedAuthStep {
  return { kind: 'failure', reason: 'not_authorized', detail };
}
