import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens of the form `<kind>_<id>_<secret>`: the id (12 hex digits) finds the row, a
 * SHA-256 of the whole token is all that is stored. A token carries 256 random bits, so one fast
 * hash suffices: slow password hashes only matter for secrets a person chose and can be guessed.
 */
export function newToken(kind: string): { id: string; token: string; hash: string } {
  const id = randomBytes(6).toString('hex');
  const token = `${kind}_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: hashToken(token) };
}

/** The id a well-formed token of `kind` names, else undefined. */
export function tokenId(kind: string, token: string): string | undefined {
  const m = /^([a-z]+)_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(token);
  return m && m[1] === kind ? m[2] : undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time: the comparison must not tell an attacker how much of a guess was right. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
