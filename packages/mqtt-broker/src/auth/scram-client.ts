import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmac, keysOf, saltedPassword } from './scram-credentials.js';

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 §3), for clients of SCRAM brokers — the broker's
 * own tests, and bridges that log in to a broker offering it. One instance serves one exchange.
 */
export class ScramClient {
  readonly #username: string;
  readonly #password: string;
  readonly #nonce: string;
  #authMessage: string | undefined;
  #serverKey: Buffer | undefined;

  constructor(username: string, password: string, nonce = randomBytes(18).toString('base64')) {
    this.#username = username;
    this.#password = password;
    this.#nonce = nonce;
  }

  /** client-first-message, for CONNECT's Authentication Data. */
  first(): Buffer {
    return Buffer.from(`n,,${this.#bare()}`, 'utf8');
  }

  /** client-final-message answering server-first-message. Throws when the server's nonce is not ours. */
  async final(serverFirst: Buffer): Promise<Buffer> {
    const text = serverFirst.toString('utf8');
    const attrs = new Map(text.split(',').map((p) => [p[0], p.slice(2)] as const));
    const nonce = attrs.get('r');
    const salt = Buffer.from(attrs.get('s') ?? '', 'base64');
    const iterations = Number(attrs.get('i'));
    if (!nonce?.startsWith(this.#nonce) || salt.length === 0 || !Number.isInteger(iterations))
      throw new Error('server-first-message is malformed or its nonce is not ours');
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
    this.#authMessage = `${this.#bare()},${text},${withoutProof}`;
    const { clientKey, storedKey, serverKey } = keysOf(
      await saltedPassword(this.#password, salt, iterations),
    );
    this.#serverKey = serverKey;
    const signature = hmac(storedKey, this.#authMessage);
    const proof = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8');
  }

  /** Checks server-final-message: true when the server proved it holds the user's keys. */
  verify(serverFinal: Buffer | undefined): boolean {
    const text = serverFinal?.toString('utf8') ?? '';
    if (!text.startsWith('v=') || !this.#serverKey || !this.#authMessage) return false;
    const expected = hmac(this.#serverKey, this.#authMessage);
    const got = Buffer.from(text.slice(2), 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  }

  #bare(): string {
    const name = this.#username.replaceAll('=', '=3D').replaceAll(',', '=2C');
    return `n=${name},r=${this.#nonce}`;
  }
}
