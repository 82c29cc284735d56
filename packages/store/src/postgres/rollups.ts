import type { RollupRow, RollupTier } from '../types.js';
import { TIER_WIDTH } from '../tiers.js';
import { decodeQuality, decodeValue } from '../embedded/codec.js';

/**
 * The rollup statements of the write transaction, set-based over the batch's temporary tables.
 * Semantics are the embedded store's (see `embedded/rollups.ts`): a sample new at its (point, ts)
 * folds into its buckets incrementally (count, bad, min, max and sum commute, `last` moves only
 * forward in ts), so late and out-of-order samples are exact; a sample that replaced a different
 * one cannot be folded (its old value is already in the sums), so its buckets are recomputed
 * from the stored rows after the folds. Hours are recomputed from their minutes, settled first.
 */

/** The value rollups aggregate: numbers and booleans (as 0/1) of samples not bad; NaN is left out. */
const NUMERIC = `CASE WHEN (q >> 2) <= 1 AND (q & 3) <> 2 AND num <> 'NaN'::float8 THEN num END`;

const COLUMNS = 'point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q';

/** Aggregates of raw rows `t(ts, num, txt, q)` in the column order of COLUMNS after the bucket. */
const RAW_AGGREGATES = `count(*), count(*) FILTER (WHERE (q & 3) = 2), count(x), coalesce(sum(x), 0), min(x), max(x),
       max(ts), (array_agg(num ORDER BY ts DESC))[1], (array_agg(txt ORDER BY ts DESC))[1],
       (array_agg(q ORDER BY ts DESC))[1]`;

function bucketOf(col: string, width: number): string {
  // Floors toward -∞ like bucketStart(): % truncates toward zero for negative ts.
  return `${col} - (((${col} % ${width}) + ${width}) % ${width})`;
}

/** The ON CONFLICT merge of a fold into existing buckets (`excluded` is the fold). */
function mergeSet(): string {
  const newer = 'excluded.last_ts > r.last_ts';
  return `
      count = r.count + excluded.count,
      bad = r.bad + excluded.bad,
      n = r.n + excluded.n,
      sum = r.sum + excluded.sum,
      min = LEAST(r.min, excluded.min),
      max = GREATEST(r.max, excluded.max),
      last_num = CASE WHEN ${newer} THEN excluded.last_num ELSE r.last_num END,
      last_txt = CASE WHEN ${newer} THEN excluded.last_txt ELSE r.last_txt END,
      last_q = CASE WHEN ${newer} THEN excluded.last_q ELSE r.last_q END,
      last_ts = GREATEST(r.last_ts, excluded.last_ts)`;
}

/**
 * Merges folds computed in the client (`fold.ts`) into one tier. Parameters $1…$12 are arrays,
 * one per column of COLUMNS, one element per (point, bucket) — unique, as ON CONFLICT requires.
 */
export function mergeFoldsSql(schema: string, tier: RollupTier): string {
  return `
    INSERT INTO ${schema}.rollup_${tier} AS r (${COLUMNS})
    SELECT * FROM unnest($1::int4[], $2::int8[], $3::int4[], $4::int4[], $5::int4[], $6::float8[],
                         $7::float8[], $8::float8[], $9::int8[], $10::float8[], $11::text[], $12::int2[])
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${mergeSet()}`;
}

/**
 * Folds new samples into one tier: `source` is a relation of (point_id, ts, num, txt, q) — the
 * RETURNING rows of the insert, as a CTE of the same statement.
 */
export function foldSql(schema: string, tier: RollupTier, source: string): string {
  const w = TIER_WIDTH[tier];
  return `
    INSERT INTO ${schema}.rollup_${tier} AS r (${COLUMNS})
    SELECT point_id, b, ${RAW_AGGREGATES}
      FROM (SELECT point_id, ${bucketOf('ts', w)} AS b, ts, num, txt, q, ${NUMERIC} AS x
              FROM ${source}) t
     GROUP BY point_id, b
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${mergeSet()}`;
}

const REPLACE_ALL = `
      count = excluded.count, bad = excluded.bad, n = excluded.n, sum = excluded.sum,
      min = excluded.min, max = excluded.max, last_ts = excluded.last_ts,
      last_num = excluded.last_num, last_txt = excluded.last_txt, last_q = excluded.last_q`;

/** Rebuilds the 1-minute buckets holding replaced samples (`touched`: point_id, ts) from the raw rows. */
export function recomputeMinutesSql(schema: string, touched: string): string {
  const w = TIER_WIDTH['1m'];
  return `
    WITH d AS (SELECT DISTINCT point_id, ${bucketOf('ts', w)} AS b FROM ${touched})
    INSERT INTO ${schema}.rollup_1m (${COLUMNS})
    SELECT d.point_id, d.b, a.* FROM d CROSS JOIN LATERAL (
      SELECT ${RAW_AGGREGATES}
        FROM (SELECT ts, num, txt, q, ${NUMERIC} AS x FROM ${schema}.samples s
               WHERE s.point_id = d.point_id AND s.ts >= d.b AND s.ts < d.b + ${w}) t
    ) a
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${REPLACE_ALL}`;
}

/** Rebuilds the 1-hour buckets holding replaced samples from their (at most 60) minutes. */
export function recomputeHoursSql(schema: string, touched: string): string {
  const w = TIER_WIDTH['1h'];
  return `
    WITH d AS (SELECT DISTINCT point_id, ${bucketOf('ts', w)} AS b FROM ${touched})
    INSERT INTO ${schema}.rollup_1h (${COLUMNS})
    SELECT d.point_id, d.b, a.* FROM d CROSS JOIN LATERAL (
      SELECT sum(count), sum(bad), sum(n), coalesce(sum(sum), 0), min(min), max(max), max(last_ts),
             (array_agg(last_num ORDER BY last_ts DESC))[1], (array_agg(last_txt ORDER BY last_ts DESC))[1],
             (array_agg(last_q ORDER BY last_ts DESC))[1]
        FROM ${schema}.rollup_1m m
       WHERE m.point_id = d.point_id AND m.bucket >= d.b AND m.bucket < d.b + ${w}
    ) a
    ON CONFLICT (point_id, bucket) DO UPDATE SET ${REPLACE_ALL}`;
}

/** A rollup bucket as read back. */
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

export function selectRollupsSql(schema: string, tier: RollupTier): string {
  return `SELECT bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q
            FROM ${schema}.rollup_${tier}
           WHERE point_id = $1 AND bucket >= $2 AND bucket <= $3 ORDER BY bucket LIMIT $4`;
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
