import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes for `users[].passwordHash`: scrypt (RFC 7914) from node:crypto, stored as
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64>$<derived key, base64>
 *
 * e.g. `scrypt$16384$8$1$…$…`. The parameters travel with the hash so they can be raised later
 * without invalidating stored users. N=2^14, r=8, p=1 (≈16 MiB, tens of ms) follows the
 * OWASP minimum for scrypt; a CONNECT storm is bounded by the flapping ban and maxConnections.
 */
const PREFIX = 'scrypt';
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}
const DEFAULT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface ParsedHash extends ScryptParams {
  readonly salt: Buffer;
  readonly key: Buffer;
}

/** Hashes a password for the broker config (what `watershed broker passwd` prints). */
export async function hashPassword(
  password: string | Buffer,
  params: ScryptParams = DEFAULT,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, KEY_LENGTH, params);
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parses a stored hash; returns a reason string when it is not one `hashPassword` could make. */
export function parsePasswordHash(text: string): ParsedHash | string {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return 'expected scrypt$N$r$p$salt$hash';
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) return 'N must be a power of two';
  if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1) return 'r and p must be positive';
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return 'salt or hash too short';
  return { N, r, p, salt, key };
}

/** Checks a password against a parsed hash; the comparison is constant-time. */
export async function verifyPassword(password: Buffer, hash: ParsedHash): Promise<boolean> {
  const key = await derive(password, hash.salt, hash.key.length, hash);
  return timingSafeEqual(key, hash.key);
}

function derive(
  password: string | Buffer,
  salt: Buffer,
  length: number,
  { N, r, p }: ScryptParams,
): Promise<Buffer> {
  // maxmem must cover 128·N·r bytes plus slack, or scrypt refuses the larger parameter sets.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
