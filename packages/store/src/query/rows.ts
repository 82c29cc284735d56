import { decodeQuality, decodeValue } from '../embedded/codec.js';
import { TIER_WIDTH } from '../tiers.js';
import type { QueryTier, TrendQuery, TrendResult } from '../types.js';
import type { Contribution } from './aggregate.js';
import { buildTrend, type NumericSeries } from './trend.js';

/**
 * What both adapters' trend and aggregate readers do with the rows their SQL returns: the rows
 * have the same columns in SQLite and PostgreSQL (samples `ts, num, txt, q`; rollups below), so
 * turning them into contributions and series lives here once and the adapters answer alike.
 */

/** A rollup row as read: bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q. */
export type RollupCells = [
  number,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
  number,
  number | null,
  string | null,
  number,
];

/** One raw sample as a contribution; numeric when a number or boolean (0/1), not bad, not NaN. */
export function rawContribution(
  ts: number,
  num: number | null,
  txt: string | null,
  code: number,
): Contribution {
  const bad = (code & 3) === 2;
  const x = !bad && code >> 2 <= 1 && num !== null && !Number.isNaN(num) ? num : null;
  return {
    ts,
    count: 1,
    bad: bad ? 1 : 0,
    numeric: x === null ? 0 : 1,
    sum: x ?? 0,
    min: x,
    max: x,
    lastTs: ts,
    last: decodeValue(num, txt, code),
    lastQuality: decodeQuality(code),
  };
}

export function rollupContribution(cells: RollupCells): Contribution {
  const [ts, count, bad, numeric, sum, min, max, lastTs, num, txt, code] = cells;
  return {
    ts,
    count,
    bad,
    numeric,
    sum,
    min,
    max,
    lastTs,
    last: decodeValue(num, txt, code),
    lastQuality: decodeQuality(code),
  };
}

/** `[ts, value]` rows (raw numeric samples, or rollup means at their bucket start) as a series. */
export function pairSeries(rows: readonly (readonly [number, number])[]): NumericSeries {
  const ts = new Float64Array(rows.length);
  const value = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    ts[i] = r[0];
    value[i] = r[1];
  }
  return { ts, value, length: rows.length };
}

/**
 * `[bucket, min, max]` rollup rows as a series for min/max selection: a bucket stands for its
 * samples by its extremes, min at the bucket's start and max at its middle (the order within a
 * bucket is not kept).
 */
export function extremesSeries(
  rows: readonly (readonly [number, number, number])[],
  width: number,
): NumericSeries {
  const ts = new Float64Array(rows.length * 2);
  const value = new Float64Array(rows.length * 2);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    ts[2 * i] = r[0];
    value[2 * i] = r[1];
    ts[2 * i + 1] = r[0] + width / 2;
    value[2 * i + 1] = r[2];
  }
  return { ts, value, length: ts.length };
}

/** The trend of a series read from `tier`, as TrendQueries.trend answers it. */
export function trendResult(id: string, tier: QueryTier, series: NumericSeries, q: TrendQuery): TrendResult {
  const points = buildTrend(series, {
    from: q.from,
    to: q.to,
    points: q.points,
    method: q.method ?? 'minmax',
    stepMs: tier === 'raw' ? 0 : TIER_WIDTH[tier],
    ...(q.maxGapMs === undefined ? {} : { maxGapMs: q.maxGapMs }),
  });
  return { point: id, tier, points };
}
