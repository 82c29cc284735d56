import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface OutboxEntry {
  readonly id: number;
  readonly group: string;
  readonly seq: number;
  readonly topic: string;
  readonly payload: Buffer;
}

export interface OutboxStats {
  /** Messages waiting to be acknowledged by the broker. */
  backlog: number;
  backlogBytes: number;
  /** Oldest messages evicted because the buffer was full. */
  dropped: number;
  /** Time (the message's own ts) of the oldest message waiting, if any. */
  oldestTs?: number;
}

export interface OutboxOptions {
  /** SQLite file; ':memory:' keeps the buffer in memory only (lost on restart). */
  file: string;
  /** Bound on buffered messages; past it the oldest are evicted and counted. */
  maxMessages?: number;
}

/**
 * The store-and-forward buffer: every uplink message is appended here before it is sent and
 * deleted once the broker acknowledged it (PUBACK), so a cut link or a gateway restart loses
 * nothing, and the next run continues each group's `seq` where the last one stopped.
 * Bounded: when full, the oldest messages are evicted and counted, never silently.
 */
export class Outbox {
  readonly #db: Database.Database;
  readonly #maxMessages: number;
  readonly #insert: Database.Statement<[string, number, string, Buffer, number | null]>;
  readonly #oldest: Database.Statement<[], { ts: number | null }>;
  readonly #saveSeq: Database.Statement<[string, number]>;
  readonly #remove: Database.Statement<[number]>;
  readonly #peek: Database.Statement<
    [number, number],
    { id: number; grp: string; seq: number; topic: string; payload: Buffer }
  >;
  readonly #evict: Database.Statement<[number]>;
  readonly #removeMany: (entries: readonly OutboxEntry[]) => void;
  #backlog: number;
  #backlogBytes: number;
  #dropped = 0;
  #closed = false;

  constructor(opts: OutboxOptions) {
    if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
    this.#db = new Database(opts.file);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash (the gateway's risk); FULL would also cover a
    // power cut at the price of an fsync per transaction.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        grp     TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        topic   TEXT NOT NULL,
        payload BLOB NOT NULL,
        ts      INTEGER
      );
      CREATE TABLE IF NOT EXISTS group_seq (grp TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
    `);
    // Buffers written before the ts column existed: add it (old rows have no ts: NULL).
    const columns = this.#db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'ts')) this.#db.exec('ALTER TABLE outbox ADD COLUMN ts INTEGER');
    this.#maxMessages = opts.maxMessages ?? 1_000_000;
    this.#insert = this.#db.prepare(
      'INSERT INTO outbox (grp, seq, topic, payload, ts) VALUES (?, ?, ?, ?, ?)',
    );
    this.#oldest = this.#db.prepare('SELECT ts FROM outbox ORDER BY id LIMIT 1');
    this.#saveSeq = this.#db.prepare(
      'INSERT INTO group_seq (grp, last_seq) VALUES (?, ?) ON CONFLICT (grp) DO UPDATE SET last_seq = excluded.last_seq',
    );
    this.#remove = this.#db.prepare('DELETE FROM outbox WHERE id = ?');
    this.#peek = this.#db.prepare(
      'SELECT id, grp, seq, topic, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.#removeMany = this.#db.transaction((entries: readonly OutboxEntry[]) => {
      for (const entry of entries) {
        if (this.#remove.run(entry.id).changes > 0) {
          this.#backlog--;
          this.#backlogBytes -= entry.payload.length;
        }
      }
    });
    this.#evict = this.#db.prepare(
      'DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)',
    );
    const row = this.#db
      .prepare('SELECT count(*) AS n, coalesce(sum(length(payload)), 0) AS b FROM outbox')
      .get() as {
      n: number;
      b: number;
    };
    this.#backlog = row.n;
    this.#backlogBytes = row.b;
  }

  /** The next seq for a group: one past the last one ever appended, or 0. */
  nextSeq(group: string): number {
    const row = this.#db.prepare('SELECT last_seq FROM group_seq WHERE grp = ?').get(group) as
      { last_seq: number } | undefined;
    return row ? row.last_seq + 1 : 0;
  }

  /** Appends one message durably (one small transaction); evicts the oldest when full. */
  append(group: string, seq: number, topic: string, payload: Buffer, ts?: number): number {
    const id = this.#db.transaction(() => {
      if (this.#backlog >= this.#maxMessages) this.#evictOldest(this.#backlog - this.#maxMessages + 1);
      const r = this.#insert.run(group, seq, topic, payload, ts ?? null);
      this.#saveSeq.run(group, seq);
      return Number(r.lastInsertRowid);
    })();
    this.#backlog++;
    this.#backlogBytes += payload.length;
    return id;
  }

  /** Up to `limit` messages after `afterId`, oldest first. */
  peek(afterId: number, limit: number): OutboxEntry[] {
    return this.#peek.all(afterId, limit).map((r) => ({
      id: r.id,
      group: r.grp,
      seq: r.seq,
      topic: r.topic,
      payload: r.payload,
    }));
  }

  /** Removes a message the broker acknowledged; a second ack of the same id is a no-op. */
  ack(entry: OutboxEntry): void {
    if (this.#closed) return;
    if (this.#remove.run(entry.id).changes > 0) {
      this.#backlog--;
      this.#backlogBytes -= entry.payload.length;
    }
  }

  /** Removes many acknowledged messages in one transaction (one commit instead of one each). */
  ackMany(entries: readonly OutboxEntry[]): void {
    if (this.#closed || entries.length === 0) return;
    this.#removeMany(entries);
  }

  stats(): OutboxStats {
    return { backlog: this.#backlog, backlogBytes: this.#backlogBytes, dropped: this.#dropped };
  }

  /** The stats plus the oldest waiting message's time: one indexed lookup, for reports. */
  report(): OutboxStats {
    const stats = this.stats();
    if (this.#closed || this.#backlog === 0) return stats;
    const ts = this.#oldest.get()?.ts;
    return ts === null || ts === undefined ? stats : { ...stats, oldestTs: ts };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #evictOldest(n: number): void {
    const before = this.#db
      .prepare(
        'SELECT coalesce(sum(length(payload)), 0) AS b FROM (SELECT payload FROM outbox ORDER BY id LIMIT ?)',
      )
      .get(n) as { b: number };
    const removed = this.#evict.run(n).changes;
    this.#backlog -= removed;
    this.#backlogBytes -= before.b;
    this.#dropped += removed;
  }
}
