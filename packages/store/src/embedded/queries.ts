import type Database from 'better-sqlite3';
import type {
  AggregateQuery,
  AggregateResult,
  QueryTier,
  RollupTier,
  TrendQuery,
  TrendResult,
} from '../types.js';
import { bucketStart, pickAggregateTier, pickDownsampleTier, TIER_WIDTH } from '../tiers.js';
import { BucketFolder, type NumericSeries } from '../query/index.js';
import {
  extremesSeries,
  pairSeries,
  rawContribution,
  rollupContribution,
  trendResult,
  type RollupCells,
} from '../query/rows.js';

/** The numeric samples rollups aggregate: numbers and booleans (0/1), quality not bad, NaN out. */
const NUMERIC_WHERE = '(q >> 2) <= 1 AND (q & 3) <> 2 AND num IS NOT NULL';

type Range4 = [number, number, number];

/**
 * The embedded adapter's trend and aggregate queries (TrendQueries). Reads go through `.raw()`
 * statements into typed arrays, so a day of 1-s samples costs no object per sample.
 */
export class TrendReader {
  readonly #rawTs: Database.Statement<[number, number, number, number], number>;
  readonly #rawValues: Database.Statement<Range4, number>;
  readonly #readRaw: (pid: number, from: number, to: number) => [number[], number[]];
  readonly #rawAll: Database.Statement<Range4, [number, number | null, string | null, number]>;
  readonly #rawCount: Database.Statement<Range4, [number]>;
  readonly #tier: Record<
    RollupTier,
    {
      minmax: Database.Statement<Range4, [number, number, number]>;
      mean: Database.Statement<Range4, [number, number]>;
      all: Database.Statement<Range4, RollupCells>;
    }
  >;

  constructor(db: Database.Database) {
    // Two single-column reads instead of one of [ts, num] pairs: no array per row, and ts as an
    // offset from `from` is a small integer V8 keeps unboxed (ranges under 24 days). A day of 1-s
    // samples: ~70 ms of CPU instead of ~180 on the loaded 2-core box; the scan itself is ~7.
    this.#rawTs = db
      .prepare<[number, number, number, number], number>(
        `SELECT ts - ? FROM samples WHERE point_id = ? AND ts >= ? AND ts <= ? AND ${NUMERIC_WHERE} ORDER BY ts`,
      )
      .pluck(true);
    this.#rawValues = db
      .prepare<Range4, number>(
        `SELECT num FROM samples WHERE point_id = ? AND ts >= ? AND ts <= ? AND ${NUMERIC_WHERE} ORDER BY ts`,
      )
      .pluck(true);
    // One read transaction: both columns from the same snapshot even if another process writes.
    this.#readRaw = db.transaction((pid: number, from: number, to: number): [number[], number[]] => [
      this.#rawTs.all(from, pid, from, to),
      this.#rawValues.all(pid, from, to),
    ]);
    this.#rawAll = db
      .prepare<Range4, [number, number | null, string | null, number]>(
        'SELECT ts, num, txt, q FROM samples WHERE point_id = ? AND ts >= ? AND ts <= ? ORDER BY ts',
      )
      .raw(true);
    // Every sample is counted in exactly one hourly bucket: their counts bound the raw rows cheaply.
    this.#rawCount = db
      .prepare<Range4, [number]>(
        'SELECT total(count) FROM rollup_1h WHERE point_id = ? AND bucket >= ? AND bucket <= ?',
      )
      .raw(true);
    const tier = (table: string) => ({
      minmax: db
        .prepare<Range4, [number, number, number]>(
          `SELECT bucket, min, max FROM ${table}
            WHERE point_id = ? AND bucket >= ? AND bucket <= ? AND n > 0 ORDER BY bucket`,
        )
        .raw(true),
      mean: db
        .prepare<Range4, [number, number]>(
          `SELECT bucket, sum / n FROM ${table}
            WHERE point_id = ? AND bucket >= ? AND bucket <= ? AND n > 0 ORDER BY bucket`,
        )
        .raw(true),
      all: db
        .prepare<Range4, RollupCells>(
          `SELECT bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q FROM ${table}
            WHERE point_id = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket`,
        )
        .raw(true),
    });
    this.#tier = { '1m': tier('rollup_1m'), '1h': tier('rollup_1h') };
  }

  /** TrendQueries.trend for the point with integer key `pid` (undefined: unknown point). */
  trend(
    id: string,
    pid: number | undefined,
    q: TrendQuery,
    keptFrom: Partial<Record<QueryTier, number>>,
  ): TrendResult {
    const tier =
      q.tier ??
      (pid === undefined
        ? 'raw'
        : pickDownsampleTier({
            from: q.from,
            to: q.to,
            points: q.points,
            rawRows: this.#rawCount.get(pid, bucketStart(q.from, TIER_WIDTH['1h']), q.to)?.[0] ?? 0,
            keptFrom,
          }));
    if (pid === undefined) return { point: id, tier, points: [] };
    return trendResult(
      id,
      tier,
      this.#numeric(pid, tier, (q.method ?? 'minmax') === 'minmax', q.from, q.to),
      q,
    );
  }

  /** TrendQueries.aggregate for the point with integer key `pid` (undefined: unknown point). */
  aggregate(id: string, pid: number | undefined, q: AggregateQuery): AggregateResult {
    const tier = pickAggregateTier(q.bucketMs);
    if (pid === undefined) return { point: id, tier, buckets: [] };
    const from = bucketStart(q.from, q.bucketMs);
    const to = bucketStart(q.to, q.bucketMs) + q.bucketMs - 1;
    const folder = new BucketFolder(q.bucketMs);
    if (tier === 'raw') {
      for (const [ts, num, txt, code] of this.#rawAll.all(pid, from, to))
        folder.add(rawContribution(ts, num, txt, code));
    } else {
      for (const cells of this.#tier[tier].all.all(pid, from, to)) folder.add(rollupContribution(cells));
    }
    return { point: id, tier, buckets: folder.finish() };
  }

  /**
   * The numeric series a trend selects from. A rollup bucket stands for its samples by its
   * extremes (min at the bucket's start, max at its middle: the order within a bucket is not
   * kept) for minmax, by its mean at its start for LTTB.
   */
  #numeric(pid: number, tier: QueryTier, extremes: boolean, from: number, to: number): NumericSeries {
    if (tier === 'raw') {
      const [offsets, value] = this.#readRaw(pid, from, to);
      const ts = new Float64Array(offsets.length);
      for (let i = 0; i < offsets.length; i++) ts[i] = (offsets[i] as number) + from;
      return { ts, value, length: ts.length };
    }
    const width = TIER_WIDTH[tier];
    const start = bucketStart(from, width);
    if (!extremes) return pairSeries(this.#tier[tier].mean.all(pid, start, to));
    return extremesSeries(this.#tier[tier].minmax.all(pid, start, to), width);
  }
}
