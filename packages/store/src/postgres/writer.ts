import pg from 'pg';
import type { Logger } from '@watershed/common';
import { encodeSample } from '../embedded/codec.js';
import type { SampleRow } from '../types.js';
import { copyNumber, copyRows, copyText } from './copy.js';
import type { PartitionManager } from './partitions.js';
import type { PointIds } from './points.js';
import { foldSql, recomputeHoursSql, recomputeMinutesSql } from './rollups.js';

const STAGE = 'pg_temp.ws_stage';
const TOUCHED = 'pg_temp.ws_touched';

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
  readonly #mergeSql: string;
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
    this.#mergeSql = [
      // New rows, and their folds into both tiers, in one statement: the folds read the insert's
      // RETURNING rows, so what was inserted now — and only that — is counted once.
      `WITH ins AS (
         INSERT INTO ${s}.samples (point_id, ts, num, txt, q, reason)
         SELECT point_id, ts, num, txt, q, reason FROM ${STAGE}
         ON CONFLICT (point_id, ts) DO NOTHING
         RETURNING point_id, ts, num, txt, q),
       m AS (${foldSql(s, '1m', 'ins')}),
       h AS (${foldSql(s, '1h', 'ins')})
       SELECT 1`,
      // The rest existed: replace those that differ (the rows just inserted are equal, so they
      // drop out here without a join). Identical replays — the usual store-and-forward case —
      // change nothing and return nothing. (RETURNING xmax would tell inserted from updated in
      // one statement, but partitioned tables refuse system columns.)
      `WITH up AS (
         INSERT INTO ${s}.samples AS s (point_id, ts, num, txt, q, reason)
         SELECT point_id, ts, num, txt, q, reason FROM ${STAGE}
         ON CONFLICT (point_id, ts) DO UPDATE
           SET num = excluded.num, txt = excluded.txt, q = excluded.q, reason = excluded.reason
           WHERE (s.num, s.txt, s.q, s.reason) IS DISTINCT FROM (excluded.num, excluded.txt, excluded.q, excluded.reason)
         RETURNING s.point_id, s.ts)
       INSERT INTO ${TOUCHED} SELECT * FROM up`,
      // Replaced samples cannot be folded (their old values are in the sums): recompute their
      // buckets, minutes from raw rows, then hours from those minutes.
      recomputeMinutesSql(s, TOUCHED),
      recomputeHoursSql(s, TOUCHED),
      // `>=` so a replay at the newest ts with a corrected value also corrects `latest`.
      `INSERT INTO ${s}.latest AS l (point_id, ts, num, txt, q, reason)
       SELECT DISTINCT ON (point_id) point_id, ts, num, txt, q, reason FROM ${STAGE} ORDER BY point_id, ts DESC
       ON CONFLICT (point_id) DO UPDATE
         SET ts = excluded.ts, num = excluded.num, txt = excluded.txt, q = excluded.q, reason = excluded.reason
         WHERE excluded.ts >= l.ts`,
      'COMMIT',
    ].join(';\n');
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
    await this.#partitions.ensure(db, timestamps(last));
    let written = 0;
    await db.query('BEGIN');
    await copyRows(db, `COPY ${STAGE} (point_id, ts, num, txt, q, reason) FROM STDIN`, lines());
    await db.query(this.#mergeSql);
    return { written, dropped };

    function* lines(): Generator<string> {
      for (const [pid, byTs] of last) {
        for (const [ts, row] of byTs) {
          const e = encodeSample(row);
          written++;
          yield `${pid}\t${ts}\t${copyNumber(e.num)}\t${copyText(e.txt)}\t${e.q}\t${copyText(e.reason)}\n`;
        }
      }
    }
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
