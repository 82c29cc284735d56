import { parsePasswordHash, verifyPassword, type ParsedHash } from './password.js';
import { IGNORE, type AuthRequest, type AuthSource, type AuthVerdict } from './source.js';
import type { UserTable } from './users.js';

/** Stands in for unknown users, so their timing matches a wrong password. */
const DECOY = parsePasswordHash(
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
) as ParsedHash;

/**
 * The built-in user store as a source: a known username with the right password is allowed,
 * with a wrong (or no) password denied. A username the store does not know is left to the next
 * source (as EMQX's built-in database does), but only after a decoy hash, so response time
 * does not reveal who exists.
 */
export class PasswordSource implements AuthSource {
  readonly kind = 'password';
  readonly #users: UserTable;

  constructor(users: UserTable) {
    this.#users = users;
  }

  async authenticate(req: AuthRequest): Promise<AuthVerdict> {
    if (req.username === undefined) return IGNORE;
    const hash = this.#users.get(req.username)?.hash;
    const ok = await verifyPassword(req.password ?? Buffer.alloc(0), hash ?? DECOY);
    if (hash === undefined) return IGNORE;
    if (ok && req.password !== undefined) return { result: 'allow', username: req.username };
    return { result: 'deny', reason: 'bad_credentials', detail: 'wrong password' };
  }
}
