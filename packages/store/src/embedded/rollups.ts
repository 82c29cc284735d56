import type Database from 'better-sqlite3';
import type { RollupRow, RollupTier } from '../types.js';
import { bucketStart, TIER_WIDTH } from '../tiers.js';
import { decodeQuality, decodeValue, type EncodedSample } from './codec.js';

export const TIERS = Object.keys(TIER_WIDTH) as RollupTier[];

/** The numeric value rollups aggregate: numbers and booleans (as 0/1) of samples not bad. */
const NUMERIC_SQL = 'CASE WHEN (q >> 2) <= 1 AND (q & 3) <> 2 THEN num END';

export function rollupTableSql(table: string): string {
  return `
    CREATE TABLE ${table} (
      point_id INTEGER NOT NULL,
      bucket   INTEGER NOT NULL, -- bucket start, ms epoch
      count    INTEGER NOT NULL, -- samples of any value and quality
      bad      INTEGER NOT NULL, -- samples of quality bad
      n        INTEGER NOT NULL, -- samples in min/max/sum: numbers and booleans, not bad
      sum      REAL NOT NULL,
      min      REAL,
      max      REAL,
      last_ts  INTEGER NOT NULL,
      last_num REAL,
      last_txt TEXT,
      last_q   INTEGER NOT NULL,
      PRIMARY KEY (point_id, bucket)
    ) WITHOUT ROWID;`;
}

/** Builds a tier from the samples already stored (used by the migration that adds rollups). */
export function rollupBackfillSql(table: string, width: number): string {
  return `
    INSERT INTO ${table} (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
    SELECT point_id, ts - (((ts % ${width}) + ${width}) % ${width}) AS b, count(*), total((q & 3) = 2),
           count(x), total(x), min(x), max(x), max(ts), NULL, NULL, 0
      FROM (SELECT point_id, ts, q, ${NUMERIC_SQL} AS x FROM samples)
     GROUP BY point_id, b;
    UPDATE ${table} SET (last_num, last_txt, last_q) =
      (SELECT num, txt, q FROM samples s WHERE s.point_id = ${table}.point_id AND s.ts = ${table}.last_ts);`;
}

/** A rollup bucket as stored. */
export interface StoredRollup {
  bucket: number;
  count: number;
  bad: number;
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  last_ts: number;
  last_num: number | null;
  last_txt: string | null;
  last_q: number;
}

/** A bucket's aggregate over the new samples of one batch; also the merge statement's parameters. */
interface Fold {
  p: number;
  b: number;
  count: number;
  bad: number;
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** The newest sample of the batch in this bucket. */
  ts: number;
  num: number | null;
  txt: string | null;
  q: number;
}

interface TierStatements {
  width: number;
  merge: Database.Statement<[Fold]>;
  /** Rebuilds one bucket; tiers settle finest first, so a coarse one may read the finer tier. */
  recompute: Database.Statement<[{ p: number; b: number; e: number }]>;
  select: Database.Statement<[number, number, number, number], StoredRollup>;
  prune: Database.Statement<[number, number]>;
}

/**
 * Keeps the 1-minute and 1-hour tiers up to date inside the write transaction. Samples new at
 * their (point, ts) fold into their buckets incrementally — count, bad, min, max and sum
 * commute, and `last` moves only forward in ts — so late and out-of-order samples are exact.
 * They are first folded in memory per batch, so a store-and-forward replay of an hour costs one
 * upsert per touched bucket rather than one per sample. A sample that replaces an existing one
 * cannot be folded (its old value is already in the sums), so its buckets are recomputed from
 * the stored rows once, after the folds, at the end of the batch.
 */
export class RollupMaintainer {
  readonly #tiers: Record<RollupTier, TierStatements>;
  /** Per tier, point id → bucket start → what this batch adds to that bucket. */
  readonly #pending: Record<RollupTier, Map<number, Map<number, Fold>>> = {
    '1m': new Map(),
    '1h': new Map(),
  };
  /** Per tier, `${pointId}:${bucket}` keys to recompute at the end of the batch. */
  readonly #dirty: Record<RollupTier, Map<string, [number, number]>> = { '1m': new Map(), '1h': new Map() };

  constructor(db: Database.Database) {
    const tier = (table: string, width: number, recompute: string): TierStatements => ({
      width,
      merge: db.prepare(mergeSql(table)),
      recompute: db.prepare(recompute),
      select: db.prepare(
        `SELECT bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q FROM ${table}
          WHERE point_id = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket LIMIT ?`,
      ),
      prune: db.prepare(`DELETE FROM ${table} WHERE point_id = ? AND bucket < ?`),
    });
    this.#tiers = {
      '1m': tier('rollup_1m', TIER_WIDTH['1m'], recomputeSql('rollup_1m')),
      // An hour is rebuilt from its (at most 60) minutes, settled just before, not from 3600+
      // raw rows; retention keeps every minute of an hour whose raw rows are still stored.
      '1h': tier('rollup_1h', TIER_WIDTH['1h'], recomputeFromMinutesSql('rollup_1h')),
    };
  }

  /** Folds a sample that did not exist before into every tier (written at `settle`). */
  add(pointId: number, ts: number, e: EncodedSample): void {
    this.fold(pointId, ts, e.num, e.txt, e.q);
  }

  /** `add` from the encoded columns, for the write path's flat cells. */
  fold(pointId: number, ts: number, num: number | null, txt: string | null, q: number): void {
    const x = q >> 2 <= 1 && (q & 3) !== 2 ? num : null;
    const bad = (q & 3) === 2 ? 1 : 0;
    for (const name of TIERS) {
      const b = bucketStart(ts, this.#tiers[name].width);
      let buckets = this.#pending[name].get(pointId);
      if (!buckets) this.#pending[name].set(pointId, (buckets = new Map<number, Fold>()));
      let a = buckets.get(b);
      if (!a) {
        a = {
          p: pointId,
          b,
          count: 0,
          bad: 0,
          n: 0,
          sum: 0,
          min: null,
          max: null,
          ts,
          num: num,
          txt: txt,
          q: q,
        };
        buckets.set(b, a);
      }
      a.count++;
      a.bad += bad;
      if (x !== null) {
        a.n++;
        a.sum += x;
        if (a.min === null || x < a.min) a.min = x;
        if (a.max === null || x > a.max) a.max = x;
      }
      if (ts > a.ts) {
        a.ts = ts;
        a.num = num;
        a.txt = txt;
        a.q = q;
      }
    }
  }

  /** Notes that the sample at (point, ts) replaced an earlier one. */
  replaced(pointId: number, ts: number): void {
    for (const name of TIERS) {
      const b = bucketStart(ts, this.#tiers[name].width);
      this.#dirty[name].set(`${pointId}:${b}`, [pointId, b]);
    }
  }

  /**
   * Writes the batch's folds, then recomputes the buckets touched by replacements; call last in
   * the write transaction. Tiers go finest first, as the hour recompute reads settled minutes.
   */
  settle(): void {
    for (const name of TIERS) {
      const t = this.#tiers[name];
      const pending = this.#pending[name];
      for (const buckets of pending.values()) for (const a of buckets.values()) t.merge.run(a);
      pending.clear();
      const dirty = this.#dirty[name];
      for (const [p, b] of dirty.values()) t.recompute.run({ p, b, e: b + t.width });
      dirty.clear();
    }
  }

  /** Forgets the folds and marks of a batch that rolled back. */
  discard(): void {
    for (const name of TIERS) {
      this.#pending[name].clear();
      this.#dirty[name].clear();
    }
  }

  /** Buckets of a tier whose start lies in [bucket of `from`, `to`], ascending. */
  query(pointId: number, tier: RollupTier, from: number, to: number, limit: number): StoredRollup[] {
    const t = this.#tiers[tier];
    return t.select.all(pointId, bucketStart(from, t.width), to, limit);
  }

  /** Deletes one point's buckets of `tier` that start before `cutoff`; returns how many. */
  prune(pointId: number, tier: RollupTier, cutoff: number): number {
    return this.#tiers[tier].prune.run(pointId, cutoff).changes;
  }
}

function mergeSql(table: string): string {
  // `r.` is the stored bucket, `excluded.` the batch's partial bucket being folded in.
  const newer = 'excluded.last_ts > r.last_ts';
  return `
    INSERT INTO ${table} AS r (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
    VALUES (@p, @b, @count, @bad, @n, @sum, @min, @max, @ts, @num, @txt, @q)
    ON CONFLICT (point_id, bucket) DO UPDATE SET
      count = r.count + excluded.count,
      bad = r.bad + excluded.bad,
      n = r.n + excluded.n,
      sum = r.sum + excluded.sum,
      min = CASE WHEN excluded.min IS NULL OR r.min <= excluded.min THEN r.min ELSE excluded.min END,
      max = CASE WHEN excluded.max IS NULL OR r.max >= excluded.max THEN r.max ELSE excluded.max END,
      last_num = CASE WHEN ${newer} THEN excluded.last_num ELSE r.last_num END,
      last_txt = CASE WHEN ${newer} THEN excluded.last_txt ELSE r.last_txt END,
      last_q = CASE WHEN ${newer} THEN excluded.last_q ELSE r.last_q END,
      last_ts = CASE WHEN ${newer} THEN excluded.last_ts ELSE r.last_ts END`;
}

function recomputeFromMinutesSql(table: string): string {
  return `
    WITH m AS (
      SELECT * FROM rollup_1m WHERE point_id = @p AND bucket >= @b AND bucket < @e
    ), l AS (SELECT last_ts, last_num, last_txt, last_q FROM m ORDER BY last_ts DESC LIMIT 1)
    INSERT INTO ${table} (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
    SELECT @p, @b, sum(count), sum(bad), sum(n), total(sum), min(min), max(max),
           (SELECT last_ts FROM l), (SELECT last_num FROM l), (SELECT last_txt FROM l), (SELECT last_q FROM l)
      FROM m WHERE true HAVING count(*) > 0
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${UPDATE_ALL}`;
}

const UPDATE_ALL = `
      count = excluded.count, bad = excluded.bad, n = excluded.n, sum = excluded.sum,
      min = excluded.min, max = excluded.max, last_ts = excluded.last_ts,
      last_num = excluded.last_num, last_txt = excluded.last_txt, last_q = excluded.last_q`;

function recomputeSql(table: string): string {
  return `
    WITH s AS (
      SELECT ts, num, txt, q, ${NUMERIC_SQL} AS x FROM samples WHERE point_id = @p AND ts >= @b AND ts < @e
    ), l AS (SELECT ts, num, txt, q FROM s ORDER BY ts DESC LIMIT 1)
    INSERT INTO ${table} (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
    SELECT @p, @b, count(*), total((q & 3) = 2), count(x), total(x), min(x), max(x),
           (SELECT ts FROM l), (SELECT num FROM l), (SELECT txt FROM l), (SELECT q FROM l)
      FROM s WHERE true HAVING count(*) > 0
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${UPDATE_ALL}`;
}

export function decodeRollup(point: string, tier: RollupTier, r: StoredRollup): RollupRow {
  return {
    point,
    tier,
    ts: r.bucket,
    count: r.count,
    bad: r.bad,
    numeric: r.n,
    min: r.min,
    max: r.max,
    avg: r.n > 0 ? r.sum / r.n : null,
    last: decodeValue(r.last_num, r.last_txt, r.last_q),
    lastTs: r.last_ts,
    lastQuality: decodeQuality(r.last_q),
  };
}
