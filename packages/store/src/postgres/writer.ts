import pg from 'pg';
import type { Logger } from '@watershed/common';
import { encodeSample } from '../embedded/codec.js';
import type { SampleRow } from '../types.js';
import { copyNumber, copyRows, copyText } from './copy.js';
import type { PartitionManager } from './partitions.js';
import type { PointIds } from './points.js';
import { foldBatch, newestPerPoint, type BucketFold, type StagedSample } from './fold.js';
import { foldSql, mergeFoldsSql, recomputeHoursSql, recomputeMinutesSql } from './rollups.js';

const STAGE = 'pg_temp.ws_stage';
const TOUCHED = 'pg_temp.ws_touched';
const NEW = 'pg_temp.ws_new';
/** SQLSTATE unique_violation (PostgreSQL docs, Appendix A). */
const UNIQUE_VIOLATION = '23505';

/** What one committed batch did. */
export interface BatchOutcome {
  /** Rows sent to the database after in-batch de-duplication. */
  written: number;
  /** Rows left out for being older than raw retention. */
  dropped: number;
}

/**
 * The write path: one dedicated connection that owns two temporary tables and writes each batch
 * in one transaction — COPY into `ws_stage`, then a single multi-statement round trip that
 * upserts the samples, folds or recomputes the rollups, upserts `latest` and commits. The
 * connection is opened on first use and dropped after any failure (the next batch opens a new
 * one), so a database restart costs the batches that met it and nothing else.
 */
export class SampleWriter {
  readonly #config: pg.ClientConfig;
  readonly #points: PointIds;
  readonly #partitions: PartitionManager;
  readonly #log: Logger;
  #optimistic = true;
  readonly #sql: {
    copySamples: string;
    insert: string;
    fold1m: string;
    fold1h: string;
    replay: string;
    latest: string;
  };
  #client: pg.Client | undefined;

  constructor(
    config: pg.ClientConfig,
    schema: string,
    points: PointIds,
    partitions: PartitionManager,
    log: Logger,
  ) {
    this.#config = config;
    this.#points = points;
    this.#partitions = partitions;
    this.#log = log;
    const s = schema;
    this.#sql = {
      copySamples: `COPY ${s}.samples (point_id, ts, num, txt, q, reason) FROM STDIN`,
      // New rows only; the count tells whether every staged row was new (the usual case of
      // fresh data). If not, the rows that were new are kept in `ws_new` for the SQL folds —
      // only they may be added to the sums. (RETURNING xmax would tell inserted from updated in
      // one statement, but partitioned tables refuse system columns.)
      insert: `WITH ins AS (
         INSERT INTO ${s}.samples (point_id, ts, num, txt, q, reason)
         SELECT point_id, ts, num, txt, q, reason FROM ${STAGE}
         ON CONFLICT (point_id, ts) DO NOTHING
         RETURNING point_id, ts, num, txt, q),
       n AS (SELECT count(*)::int8 AS n FROM ins),
       keep AS (INSERT INTO ${NEW} SELECT ins.* FROM ins WHERE (SELECT n FROM n) < $1::int8)
       SELECT n FROM n`,
      fold1m: mergeFoldsSql(s, '1m'),
      fold1h: mergeFoldsSql(s, '1h'),
      // Some staged rows existed: fold what was new, replace those that differ (the rows just
      // inserted are equal, so they drop out here without a join) and recompute their buckets —
      // replaced samples cannot be folded, their old values are in the sums — minutes from raw
      // rows, then hours from those minutes. Identical replays (the usual store-and-forward
      // case) change nothing here.
      replay: [
        foldSql(s, '1m', NEW),
        foldSql(s, '1h', NEW),
        `WITH up AS (
           INSERT INTO ${s}.samples AS s (point_id, ts, num, txt, q, reason)
           SELECT point_id, ts, num, txt, q, reason FROM ${STAGE}
           ON CONFLICT (point_id, ts) DO UPDATE
             SET num = excluded.num, txt = excluded.txt, q = excluded.q, reason = excluded.reason
             WHERE (s.num, s.txt, s.q, s.reason) IS DISTINCT FROM (excluded.num, excluded.txt, excluded.q, excluded.reason)
           RETURNING s.point_id, s.ts)
         INSERT INTO ${TOUCHED} SELECT * FROM up`,
        recomputeMinutesSql(s, TOUCHED),
        recomputeHoursSql(s, TOUCHED),
      ].join(';\n'),
      // From the batch's newest sample per point, folded in the client. `>=` so a replay at the
      // newest ts with a corrected value also corrects `latest`.
      latest: `INSERT INTO ${s}.latest AS l (point_id, ts, num, txt, q, reason)
         SELECT * FROM unnest($1::int4[], $2::int8[], $3::float8[], $4::text[], $5::int2[], $6::text[])
         ON CONFLICT (point_id) DO UPDATE
           SET ts = excluded.ts, num = excluded.num, txt = excluded.txt, q = excluded.q, reason = excluded.reason
           WHERE excluded.ts >= l.ts`,
    };
  }

  /** Writes one batch atomically; rows with ts below `cutoff` are dropped, not stored. */
  async write(rows: readonly SampleRow[], cutoff: number): Promise<BatchOutcome> {
    const db = await this.#connect();
    try {
      return await this.#write(db, rows, cutoff);
    } catch (err) {
      // Whatever state the session is in (aborted transaction, half-read COPY, dead socket), a
      // fresh one is cheaper to reason about than a repaired one.
      this.#drop(db);
      throw err;
    }
  }

  /** Closes the connection; a later write opens a new one. */
  async close(): Promise<void> {
    const db = this.#client;
    this.#client = undefined;
    await db?.end().catch(() => undefined);
  }

  async #write(db: pg.Client, rows: readonly SampleRow[], cutoff: number): Promise<BatchOutcome> {
    // Last write of each (point, ts) wins inside the batch: one INSERT … ON CONFLICT may not
    // touch the same row twice.
    const keys = new Set<string>();
    for (const r of rows) keys.add(r.point);
    const ids = await this.#points.intern(db, keys);
    const last = new Map<number, Map<number, SampleRow>>();
    let dropped = 0;
    for (const r of rows) {
      if (r.ts < cutoff) {
        dropped++;
        continue;
      }
      const pid = ids.get(r.point) as number;
      let byTs = last.get(pid);
      if (!byTs) last.set(pid, (byTs = new Map<number, SampleRow>()));
      byTs.set(r.ts, r);
    }
    if (last.size === 0) return { written: 0, dropped };
    const staged: StagedSample[] = [];
    for (const [pid, byTs] of last) {
      for (const [ts, row] of byTs) staged.push({ pid, ts, ...encodeSample(row) });
    }
    await this.#partitions.ensure(db, timestamps(last));
    await db.query('BEGIN');
    let fresh = this.#optimistic && (await this.#copyFresh(db, staged));
    if (!fresh) {
      await copyRows(db, `COPY ${STAGE} (point_id, ts, num, txt, q, reason) FROM STDIN`, lines(staged));
      const r = await db.query<{ n: number }>(this.#sql.insert, [staged.length]);
      fresh = r.rows[0]?.n === staged.length;
      if (!fresh) await db.query(this.#sql.replay);
      // Back to the optimistic path once a batch is all new again (the replay has caught up).
      this.#optimistic = fresh;
    }
    if (fresh) {
      // Every row was new: nothing to replace, and the batch folds as a whole.
      await db.query(this.#sql.fold1m, foldColumns(foldBatch(staged, '1m')));
      await db.query(this.#sql.fold1h, foldColumns(foldBatch(staged, '1h')));
    }
    await db.query(this.#sql.latest, latestColumns(newestPerPoint(staged)));
    await db.query('COMMIT');
    return { written: staged.length, dropped };
  }

  /**
   * The optimistic path: COPY straight into `samples`, under a savepoint. Fresh data — the steady
   * state — never conflicts, and a plain COPY skips the staging table and the speculative
   * insertion of ON CONFLICT (a second index probe per row; together ~3× the cost of the plain
   * insert in EXPLAIN ANALYZE). A unique violation means some (point, ts) is stored already — a
   * replay: the savepoint undoes the partial COPY and the batch takes the staged path; so do the
   * following batches until one is all new again, so a long store-and-forward replay does not
   * pay for a failed COPY per batch.
   */
  async #copyFresh(db: pg.Client, staged: readonly StagedSample[]): Promise<boolean> {
    await db.query('SAVEPOINT ws_fresh');
    try {
      await copyRows(db, this.#sql.copySamples, lines(staged));
    } catch (err) {
      if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
      await db.query('ROLLBACK TO SAVEPOINT ws_fresh');
      this.#optimistic = false;
      return false;
    }
    return true;
  }

  async #connect(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const db = new pg.Client(this.#config);
    db.on('error', (err) => {
      this.#log.warn({ err }, 'store writer connection failed');
      this.#drop(db);
    });
    try {
      await db.connect();
      await db.query(
        `CREATE TEMP TABLE ws_stage (
           point_id integer, ts bigint, num double precision, txt text, q smallint, reason text
         ) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE ws_new (
           point_id integer, ts bigint, num double precision, txt text, q smallint
         ) ON COMMIT DELETE ROWS;
         CREATE TEMP TABLE ws_touched (point_id integer, ts bigint) ON COMMIT DELETE ROWS`,
      );
      await this.#partitions.load(db);
    } catch (err) {
      this.#drop(db);
      throw err;
    }
    this.#client = db;
    return db;
  }

  #drop(db: pg.Client): void {
    if (this.#client === db) this.#client = undefined;
    db.end().catch(() => undefined);
  }
}

function* timestamps(last: Map<number, Map<number, SampleRow>>): Generator<number> {
  for (const byTs of last.values()) yield* byTs.keys();
}

function* lines(staged: readonly StagedSample[]): Generator<string> {
  for (const e of staged) {
    yield `${e.pid}\t${e.ts}\t${copyNumber(e.num)}\t${copyText(e.txt)}\t${e.q}\t${copyText(e.reason)}\n`;
  }
}

/** Column arrays of folds, in the parameter order of `mergeFoldsSql`. */
function foldColumns(folds: readonly BucketFold[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 12 }, () => new Array<unknown>(folds.length));
  for (let i = 0; i < folds.length; i++) {
    const f = folds[i] as BucketFold;
    const row = [
      f.pid,
      f.bucket,
      f.count,
      f.bad,
      f.n,
      f.sum,
      f.min,
      f.max,
      f.lastTs,
      f.lastNum,
      f.lastTxt,
      f.lastQ,
    ];
    for (let c = 0; c < 12; c++) (cols[c] as unknown[])[i] = row[c];
  }
  return cols;
}

/** Column arrays of samples, in the parameter order of the latest upsert. */
function latestColumns(samples: readonly StagedSample[]): unknown[][] {
  return [
    samples.map((s) => s.pid),
    samples.map((s) => s.ts),
    samples.map((s) => s.num),
    samples.map((s) => s.txt),
    samples.map((s) => s.q),
    samples.map((s) => s.reason),
  ];
}
