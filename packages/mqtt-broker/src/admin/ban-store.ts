import Database from 'better-sqlite3';
import type { BanEntry } from './types.js';

/**
 * Where operator bans outlive a restart. Writes are rare (an operator's click), so they are
 * synchronous and committed at once.
 */
export interface BanStore {
  load(): BanEntry[];
  saved(ban: BanEntry): void;
  deleted(id: string): void;
  close(): void;
}

/** Bans kept for this run only (a broker without persistence). */
export class MemoryBanStore implements BanStore {
  readonly #bans = new Map<string, BanEntry>();
  load(): BanEntry[] {
    return [...this.#bans.values()];
  }
  saved(ban: BanEntry): void {
    this.#bans.set(ban.id, ban);
  }
  deleted(id: string): void {
    this.#bans.delete(id);
  }
  close(): void {}
}

interface Row {
  id: string;
  client_id: string | null;
  username: string | null;
  peer: string | null;
  reason: string;
  created_by: string;
  created_at: number;
  until: number | null;
}

/**
 * Operator bans in the broker's own SQLite state file (`persistence.file`), table
 * `admin_bans`, through a second connection: the state file is in WAL mode, so this writer and
 * the broker's write-behind journal take turns on the write lock (busy timeout below) without
 * either blocking readers. The table is created here, outside the broker's versioned schema,
 * because it belongs to this module; the broker's migrations never touch it.
 */
export class SqliteBanStore implements BanStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #delete: Database.Statement;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS admin_bans (
      id         TEXT PRIMARY KEY,
      client_id  TEXT,
      username   TEXT,
      peer       TEXT,
      reason     TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      until      INTEGER
    ) WITHOUT ROWID`);
    this.#insert = this.#db.prepare(
      `INSERT OR REPLACE INTO admin_bans (id, client_id, username, peer, reason, created_by, created_at, until)
       VALUES (@id, @client_id, @username, @peer, @reason, @created_by, @created_at, @until)`,
    );
    this.#delete = this.#db.prepare('DELETE FROM admin_bans WHERE id = ?');
  }

  load(): BanEntry[] {
    const rows = this.#db.prepare('SELECT * FROM admin_bans ORDER BY created_at, id').all() as Row[];
    return rows.map((r) => ({
      id: r.id,
      source: 'operator',
      ...(r.client_id !== null && { clientId: r.client_id }),
      ...(r.username !== null && { username: r.username }),
      ...(r.peer !== null && { peer: r.peer }),
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: r.created_at,
      ...(r.until !== null && { until: r.until }),
    }));
  }

  saved(ban: BanEntry): void {
    this.#insert.run({
      id: ban.id,
      client_id: ban.clientId ?? null,
      username: ban.username ?? null,
      peer: ban.peer ?? null,
      reason: ban.reason,
      created_by: ban.createdBy,
      created_at: ban.createdAt ?? 0,
      until: ban.until ?? null,
    });
  }

  deleted(id: string): void {
    this.#delete.run(id);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
