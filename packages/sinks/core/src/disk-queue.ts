import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** A run of rows at the head of the disk queue, as read by `peek`. */
export interface DiskSlice {
  /** Serialised rows, oldest first. */
  readonly bodies: readonly string[];
  /** Sequence number of the last row in the slice; `removeThrough(lastSeq)` acknowledges it. */
  readonly lastSeq: number;
  readonly bytes: number;
}

/**
 * The durable part of a sink's queue: one SQLite file per sink, rows as JSON text ordered by a
 * sequence number. A row stays in the file until the batch holding it is acknowledged, so a
 * crash or restart re-sends it (at-least-once). Rows can be added at the tail (spill) and at
 * the head (rows taken into memory or in flight when the sink closed, which are older than
 * everything already on disk), so the file is always one FIFO.
 *
 * Size is counted as the bytes of the serialised rows (SQLite's page overhead is not counted;
 * the file can be somewhat larger than the bound, and does not shrink until SQLite reuses
 * pages).
 */
export class DiskQueue {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[number, string]>;
  readonly #peek: Database.Statement<[number], { seq: number; body: string }>;
  readonly #removeThrough: Database.Statement<[number]>;
  #count: number;
  #bytes: number;
  #headSeq: number;
  #tailSeq: number;
  #closed = false;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    // Lets the file give back the pages of a long outage once the queue has drained (applies to
    // new files only, so it must come before anything is written, WAL mode included).
    this.#db.pragma('auto_vacuum = INCREMENTAL');
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a process crash; a power cut may lose the last transactions,
    // which FULL would cover at the price of an fsync per batch.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    this.#insert = this.#db.prepare('INSERT INTO queue (seq, body) VALUES (?, ?)');
    this.#peek = this.#db.prepare('SELECT seq, body FROM queue ORDER BY seq LIMIT ?');
    this.#removeThrough = this.#db.prepare('DELETE FROM queue WHERE seq <= ?');
    const s = this.#db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(length(CAST(body AS BLOB))), 0) AS b,
                coalesce(min(seq), 1) AS lo, coalesce(max(seq), 0) AS hi FROM queue`,
      )
      .get() as { n: number; b: number; lo: number; hi: number };
    this.#count = s.n;
    this.#bytes = s.b;
    this.#headSeq = s.lo;
    this.#tailSeq = s.hi;
  }

  get count(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Appends rows at the tail in one transaction. */
  append(bodies: readonly string[], bytes: number): void {
    if (bodies.length === 0) return;
    const first = this.#tailSeq + 1;
    this.#db.transaction(() => {
      for (let i = 0; i < bodies.length; i++) this.#insert.run(first + i, bodies[i]!);
    })();
    if (this.#count === 0) this.#headSeq = first;
    this.#tailSeq = first + bodies.length - 1;
    this.#count += bodies.length;
    this.#bytes += bytes;
  }

  /** Inserts rows before the current head (they are older than every row on disk). */
  prepend(bodies: readonly string[], bytes: number): void {
    if (bodies.length === 0) return;
    const first = (this.#count === 0 ? this.#tailSeq + 1 : this.#headSeq) - bodies.length;
    this.#db.transaction(() => {
      for (let i = 0; i < bodies.length; i++) this.#insert.run(first + i, bodies[i]!);
    })();
    if (this.#count === 0) this.#tailSeq = first + bodies.length - 1;
    this.#headSeq = first;
    this.#count += bodies.length;
    this.#bytes += bytes;
  }

  /** Up to `limit` rows from the head, without removing them. */
  peek(limit: number): DiskSlice | undefined {
    const rows = this.#peek.all(limit);
    if (rows.length === 0) return undefined;
    let bytes = 0;
    const bodies = rows.map((r) => {
      bytes += Buffer.byteLength(r.body);
      return r.body;
    });
    return { bodies, lastSeq: rows[rows.length - 1]!.seq, bytes };
  }

  /** Removes an acknowledged slice (and anything before it). */
  removeThrough(slice: DiskSlice): void {
    if (this.#closed) return;
    const removed = this.#removeThrough.run(slice.lastSeq).changes;
    this.#count -= removed;
    this.#bytes = this.#count === 0 ? 0 : Math.max(0, this.#bytes - slice.bytes);
    this.#headSeq = slice.lastSeq + 1;
    if (this.#count === 0) {
      this.#db.pragma('incremental_vacuum');
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  /** Size of the database file and its write-ahead log, in bytes. */
  fileBytes(): number {
    const pages = this.#db.pragma('page_count', { simple: true }) as number;
    const size = this.#db.pragma('page_size', { simple: true }) as number;
    return pages * size;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}
