import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AuthErrors } from './errors.js';

/**
 * Password hashing with scrypt (RFC 7914) from node:crypto, stored self-describing as
 * `scrypt$N$r$p$<salt>$<hash>` (salt and hash base64url), so the cost can be raised later
 * without breaking the hashes already stored: verify reads the parameters from the string.
 *
 * N=2^15, r=8, p=1 is OWASP's scrypt recommendation (Password Storage Cheat Sheet) and costs
 * ~50-100 ms and 32 MiB per hash; tests pass a lower cost.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, KEY_LENGTH, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed or foreign `stored` is never a match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await derive(password, salt, expected.length, { N, r, p });
  // Constant time, so the comparison does not tell how many leading bytes were right.
  return timingSafeEqual(actual, expected);
}

/**
 * The policy, checked when a password is set (never on login, so a policy change does not lock
 * anyone out): at least MIN_PASSWORD_LENGTH characters, not the user's name.
 */
export function checkPasswordPolicy(password: string, userName: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw AuthErrors.WEAK_PASSWORD.create([`it must be at least ${MIN_PASSWORD_LENGTH} characters long`]);
  }
  const lower = password.toLowerCase();
  const name = userName.toLowerCase();
  // The name itself, or the name with a few characters around it (`admin123!`).
  if (name && lower.includes(name) && lower.replace(name, '').length < 4) {
    throw AuthErrors.WEAK_PASSWORD.create(['it must not be (a variation of) the user name']);
  }
}

/** A random password that passes the policy: 18 characters of base64url (~108 bits). */
export function randomPassword(): string {
  return randomBytes(14).toString('base64url').slice(0, 18);
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  // maxmem must cover 128·N·r bytes (plus slack), or node refuses N=2^15.
  const opts: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
