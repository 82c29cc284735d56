import type pg from 'pg';
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
const NUMERIC_WHERE = `(q >> 2) <= 1 AND (q & 3) <> 2 AND num IS NOT NULL AND num <> 'NaN'::float8`;

/**
 * The PostgreSQL adapter's trend and aggregate queries (TrendQueries), the embedded adapter's
 * (`embedded/queries.ts`) over the same tables: the tier is picked the same way, the selection
 * and folding are the shared `query/` code, so both adapters answer alike. Rows are read as
 * arrays (rowMode) into typed arrays: no object per sample.
 */
export class PgTrendReader {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #sql: {
    rawNumeric: string;
    rawAll: string;
    rawCount: string;
    tier: Record<RollupTier, { minmax: string; mean: string; all: string }>;
  };

  constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#schema = schema;
    const s = schema;
    const tier = (t: RollupTier) => ({
      minmax: `SELECT bucket, min, max FROM ${s}.rollup_${t}
                WHERE point_id = $1 AND bucket >= $2 AND bucket <= $3 AND n > 0 ORDER BY bucket`,
      mean: `SELECT bucket, sum / n FROM ${s}.rollup_${t}
              WHERE point_id = $1 AND bucket >= $2 AND bucket <= $3 AND n > 0 ORDER BY bucket`,
      all: `SELECT bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q FROM ${s}.rollup_${t}
             WHERE point_id = $1 AND bucket >= $2 AND bucket <= $3 ORDER BY bucket`,
    });
    this.#sql = {
      rawNumeric: `SELECT ts, num FROM ${s}.samples
                    WHERE point_id = $1 AND ts >= $2 AND ts <= $3 AND ${NUMERIC_WHERE} ORDER BY ts`,
      rawAll: `SELECT ts, num, txt, q FROM ${s}.samples WHERE point_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts`,
      // Every sample is counted in exactly one hourly bucket: their counts bound the raw rows cheaply.
      rawCount: `SELECT coalesce(sum(count), 0)::int8 FROM ${s}.rollup_1h
                  WHERE point_id = $1 AND bucket >= $2 AND bucket <= $3`,
      tier: { '1m': tier('1m'), '1h': tier('1h') },
    };
  }

  /** TrendQueries.trend for the point with integer key `pid` (undefined: unknown point). */
  async trend(
    id: string,
    pid: number | undefined,
    q: TrendQuery,
    keptFrom: Partial<Record<QueryTier, number>>,
  ): Promise<TrendResult> {
    let tier = q.tier;
    if (tier === undefined) {
      const rawRows =
        pid === undefined
          ? 0
          : ((
              await this.#rows<[number]>('rawCount', this.#sql.rawCount, [
                pid,
                bucketStart(q.from, TIER_WIDTH['1h']),
                q.to,
              ])
            )[0]?.[0] ?? 0);
      tier = pickDownsampleTier({ from: q.from, to: q.to, points: q.points, rawRows, keptFrom });
    }
    if (pid === undefined) return { point: id, tier, points: [] };
    const series = await this.#numeric(pid, tier, (q.method ?? 'minmax') === 'minmax', q.from, q.to);
    return trendResult(id, tier, series, q);
  }

  /** TrendQueries.aggregate for the point with integer key `pid` (undefined: unknown point). */
  async aggregate(id: string, pid: number | undefined, q: AggregateQuery): Promise<AggregateResult> {
    const tier = pickAggregateTier(q.bucketMs);
    if (pid === undefined) return { point: id, tier, buckets: [] };
    const from = bucketStart(q.from, q.bucketMs);
    const to = bucketStart(q.to, q.bucketMs) + q.bucketMs - 1;
    const folder = new BucketFolder(q.bucketMs);
    if (tier === 'raw') {
      const rows = await this.#rows<[number, number | null, string | null, number]>(
        'rawAll',
        this.#sql.rawAll,
        [pid, from, to],
      );
      for (const [ts, num, txt, code] of rows) folder.add(rawContribution(ts, num, txt, code));
    } else {
      const rows = await this.#rows<RollupCells>(`all${tier}`, this.#sql.tier[tier].all, [pid, from, to]);
      for (const cells of rows) folder.add(rollupContribution(cells));
    }
    return { point: id, tier, buckets: folder.finish() };
  }

  /**
   * The numeric series a trend selects from. A rollup bucket stands for its samples by its
   * extremes (min at the bucket's start, max at its middle: the order within a bucket is not
   * kept) for minmax, by its mean at its start for LTTB — as the embedded adapter has it.
   */
  async #numeric(
    pid: number,
    tier: QueryTier,
    extremes: boolean,
    from: number,
    to: number,
  ): Promise<NumericSeries> {
    if (tier === 'raw' || !extremes) {
      const [name, text, start] =
        tier === 'raw'
          ? ['rawNumeric', this.#sql.rawNumeric, from]
          : [`mean${tier}`, this.#sql.tier[tier].mean, bucketStart(from, TIER_WIDTH[tier])];
      return pairSeries(await this.#rows<[number, number]>(name, text, [pid, start, to]));
    }
    const width = TIER_WIDTH[tier];
    const rows = await this.#rows<[number, number, number]>(`minmax${tier}`, this.#sql.tier[tier].minmax, [
      pid,
      bucketStart(from, width),
      to,
    ]);
    return extremesSeries(rows, width);
  }

  async #rows<R extends unknown[]>(name: string, text: string, values: unknown[]): Promise<R[]> {
    const r = await this.#pool.query<R>({
      name: `${this.#schema}.trend.${name}`,
      text,
      values,
      rowMode: 'array',
    });
    return r.rows;
  }
}
