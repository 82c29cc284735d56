import { MetadataErrors } from '../errors.js';
import type { Session, SessionInput, SessionRepository } from '../types.js';
import type { SqlExecutor } from './executor.js';
import { newToken, tokenId, tokenMatches } from './tokens.js';

interface SessionRow {
  id: string;
  user_id: string;
  hash: string;
  created_at: number;
  expires_at: number;
  origin: string | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, user_id, hash, created_at, expires_at, origin, revoked_at';
const KIND = 'wss';

export class SqlSessions implements SessionRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async create(input: SessionInput): Promise<{ session: Session; token: string }> {
    if (!Number.isFinite(input.ttlMs) || input.ttlMs <= 0) {
      throw MetadataErrors.INVALID.create(['session ttl', String(input.ttlMs)]);
    }
    const { id, token, hash } = newToken(KIND);
    const now = this.#db.clock.now();
    const [row] = await this.#db.all<SessionRow>(
      `INSERT INTO $S.md_sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL) RETURNING ${COLUMNS}`,
      [id, input.userId, hash, now, now + Math.trunc(input.ttlMs), input.from ?? null],
    );
    return { session: decode(row!), token };
  }

  async verify(token: string): Promise<Session | undefined> {
    const id = tokenId(KIND, token);
    if (id === undefined) return undefined;
    const [row] = await this.#db.all<SessionRow>(`SELECT ${COLUMNS} FROM $S.md_sessions WHERE id = ?`, [id]);
    if (!row || !tokenMatches(token, row.hash) || row.revoked_at !== null) return undefined;
    if (this.#db.clock.now() >= Number(row.expires_at)) return undefined;
    return decode(row);
  }

  async revoke(id: string): Promise<Session> {
    const [row] = await this.#db.all<SessionRow>(
      `UPDATE $S.md_sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING ${COLUMNS}`,
      [this.#db.clock.now(), id],
    );
    if (!row) throw MetadataErrors.NOT_FOUND.create(['session', id]);
    return decode(row);
  }

  async revokeAll(userId: string): Promise<number> {
    const now = this.#db.clock.now();
    return this.#db.run(
      'UPDATE $S.md_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?',
      [now, userId, now],
    );
  }

  async list(userId: string): Promise<Session[]> {
    const rows = await this.#db.all<SessionRow>(
      `SELECT ${COLUMNS} FROM $S.md_sessions WHERE user_id = ? ORDER BY created_at DESC, id`,
      [userId],
    );
    return rows.map(decode);
  }

  async prune(endedBefore: number): Promise<number> {
    // A session ends at its revocation or its expiry, whichever came first; a revoked session
    // whose expiry is still ahead has ended all the same.
    return this.#db.run(
      'DELETE FROM $S.md_sessions WHERE expires_at < ? OR (revoked_at IS NOT NULL AND revoked_at < ?)',
      [Math.trunc(endedBefore), Math.trunc(endedBefore)],
    );
  }
}

function decode(r: SessionRow): Session {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    ...(r.origin !== null && { from: r.origin }),
    ...(r.revoked_at !== null && { revokedAt: Number(r.revoked_at) }),
  };
}
