import { pbkdf2, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes for `users[].passwordHash`. Two formats, the parameters travelling with the
 * hash so they can be raised later without invalidating stored users:
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64>$<derived key, base64>          (RFC 7914, the default)
 *     pbkdf2-sha256$<iterations>$<salt, base64>$<derived key, base64>  (RFC 8018 PBKDF2-HMAC-SHA256)
 *
 * scrypt N=2^14, r=8, p=1 (≈16 MiB, tens of ms) follows the OWASP minimum; PBKDF2 is there for
 * users imported from systems that store it (EMQX's built-in database, Django, passlib) and
 * defaults to OWASP's 600 000 iterations. A CONNECT storm is bounded by the flapping ban and
 * maxConnections. Plain-text passwords are never accepted.
 */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}
const DEFAULT: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** OWASP Password Storage Cheat Sheet (2023) figure for PBKDF2-HMAC-SHA256. */
export const PBKDF2_DEFAULT_ITERATIONS = 600_000;
/** Below this a stored PBKDF2 hash is refused as too weak to be worth the name. */
const PBKDF2_MIN_ITERATIONS = 1000;

export type ParsedHash =
  | (ScryptParams & { readonly kind: 'scrypt'; readonly salt: Buffer; readonly key: Buffer })
  | {
      readonly kind: 'pbkdf2-sha256';
      readonly iterations: number;
      readonly salt: Buffer;
      readonly key: Buffer;
    };

const EXPECTED = 'expected scrypt$N$r$p$salt$hash or pbkdf2-sha256$iterations$salt$hash';

/** Hashes a password with scrypt for the broker config (what `watershed broker passwd` prints). */
export async function hashPassword(
  password: string | Buffer,
  params: ScryptParams = DEFAULT,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await deriveScrypt(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Hashes a password with PBKDF2-HMAC-SHA256 (for deployments that must use a NIST-approved KDF). */
export async function hashPasswordPbkdf2(
  password: string | Buffer,
  iterations = PBKDF2_DEFAULT_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derivePbkdf2(password, salt, KEY_LENGTH, iterations);
  return ['pbkdf2-sha256', iterations, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parses a stored hash; returns a reason string when it is not one this module could make. */
export function parsePasswordHash(text: string): ParsedHash | string {
  const parts = text.split('$');
  if (parts[0] === 'scrypt' && parts.length === 6) {
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) return 'N must be a power of two';
    if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1) return 'r and p must be positive';
    const material = saltAndKey(parts[4]!, parts[5]!);
    return typeof material === 'string' ? material : { kind: 'scrypt', N, r, p, ...material };
  }
  if (parts[0] === 'pbkdf2-sha256' && parts.length === 4) {
    const iterations = Number(parts[1]);
    if (!Number.isInteger(iterations) || iterations < PBKDF2_MIN_ITERATIONS)
      return `iterations must be an integer of at least ${PBKDF2_MIN_ITERATIONS}`;
    const material = saltAndKey(parts[2]!, parts[3]!);
    return typeof material === 'string' ? material : { kind: 'pbkdf2-sha256', iterations, ...material };
  }
  return EXPECTED;
}

function saltAndKey(salt64: string, key64: string): { salt: Buffer; key: Buffer } | string {
  const salt = Buffer.from(salt64, 'base64');
  const key = Buffer.from(key64, 'base64');
  return salt.length < 8 || key.length < 16 ? 'salt or hash too short' : { salt, key };
}

/** Checks a password against a parsed hash; the comparison is constant-time. */
export async function verifyPassword(password: Buffer, hash: ParsedHash): Promise<boolean> {
  const key =
    hash.kind === 'scrypt'
      ? await deriveScrypt(password, hash.salt, hash.key.length, hash)
      : await derivePbkdf2(password, hash.salt, hash.key.length, hash.iterations);
  return timingSafeEqual(key, hash.key);
}

function deriveScrypt(
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

function derivePbkdf2(
  password: string | Buffer,
  salt: Buffer,
  length: number,
  iterations: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, length, 'sha256', (err, key) => (err ? reject(err) : resolve(key)));
  });
}
