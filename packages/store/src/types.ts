import type { Point, Quality, SampleValue } from '@watershed/model';
import type { MetadataStore } from './metadata/types.js';

/** One stored sample of one point. `(point, ts)` identifies it: a second write replaces the first. */
export interface SampleRow {
  point: string;
  ts: number;
  value: SampleValue;
  quality: Quality;
  reason?: string;
}

export interface PointFilter {
  site?: string;
  node?: string;
}

export interface SeriesRange {
  /** Inclusive lower bound, ms epoch. */
  from: number;
  /** Inclusive upper bound, ms epoch. */
  to: number;
  /** At most this many rows, the earliest first; a client pages on by asking from `last.ts + 1`. */
  limit?: number;
}

/** Aggregation tiers maintained on write. */
export type RollupTier = '1m' | '1h';

/**
 * One bucket of a rollup tier. `min`, `max` and `avg` cover the samples whose value is a number
 * or a boolean (as 0/1) and whose quality is not bad — `numeric` of them; `count` and `bad`
 * cover every sample in the bucket. `last*` is the sample with the greatest ts in the bucket.
 */
export interface RollupRow {
  point: string;
  tier: RollupTier;
  /** Bucket start, ms epoch; the bucket covers [ts, ts + width). */
  ts: number;
  count: number;
  bad: number;
  numeric: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: SampleValue;
  lastTs: number;
  lastQuality: Quality;
}

export interface RollupRange extends SeriesRange {
  tier: RollupTier;
}

/** Where a trend or aggregate query read its rows: the raw samples or one rollup tier. */
export type QueryTier = 'raw' | RollupTier;

/**
 * How `trend` picks the points it keeps. `minmax`: per output column the first, lowest,
 * highest and last value (the M4 family), so every peak and trough of the range survives;
 * `lttb`: Largest-Triangle-Three-Buckets (Steinarsson 2013), one point per column chosen for
 * visual shape, smoother but allowed to drop a one-sample spike.
 */
export type DownsampleMethod = 'minmax' | 'lttb';

export interface TrendQuery {
  /** Inclusive lower bound, ms epoch. */
  from: number;
  /** Inclusive upper bound, ms epoch. */
  to: number;
  /** Most data points returned (gap markers not counted); at least 2. */
  points: number;
  /** Default `minmax`. */
  method?: DownsampleMethod;
  /**
   * Longest stretch without data still drawn as a line: a longer one is returned as a gap (a
   * `null` value). Default: one output column ((to - from) / points) or the tier's bucket width,
   * whichever is longer, and at least twice the mean spacing of the data read.
   */
  maxGapMs?: number;
  /**
   * Read this tier instead of the one picked for the range (see `pickDownsampleTier`); for
   * callers that need raw resolution whatever it costs, and for measuring.
   */
  tier?: QueryTier;
}

/** One point of a trend; `value: null` marks a gap (no data), which a chart draws as a break. */
export interface TrendPoint {
  ts: number;
  value: number | null;
}

export interface TrendResult {
  point: string;
  /** The tier the points were computed from. */
  tier: QueryTier;
  /** Ascending ts. Values are the numeric ones rollups aggregate: numbers and booleans (0/1) not of quality bad. */
  points: TrendPoint[];
}

export interface AggregateQuery {
  /** Inclusive lower bound, ms epoch; the bucket holding it is returned whole. */
  from: number;
  /** Inclusive upper bound, ms epoch; the bucket holding it is returned whole. */
  to: number;
  /** Bucket width, ms; buckets start at multiples of it from the epoch (UTC). At least 1. */
  bucketMs: number;
}

/** One bucket of an aggregate query: the fields of RollupRow, at any width. */
export type AggregateBucket = Omit<RollupRow, 'point' | 'tier'>;

export interface AggregateResult {
  point: string;
  /** The tier the buckets were folded from: the coarsest whose width divides `bucketMs`. */
  tier: QueryTier;
  /** Ascending; a bucket without any sample is absent (a gap), never filled in. */
  buckets: AggregateBucket[];
}

/**
 * Chart and report queries that read the coarsest data able to answer exactly, so a year's
 * trend costs the same as an hour's. Part of `Store`: every adapter implements them.
 */
export interface TrendQueries {
  /**
   * At most `points` points of one point's numeric values over [from, to], for a chart. The tier
   * is picked for the range (`pickDownsampleTier`): raw samples when there are few enough, else
   * the 1-minute, else the 1-hour rollups. Gaps stay gaps (see `maxGapMs`); nothing is interpolated.
   */
  trend(id: string, query: TrendQuery): Promise<TrendResult>;
  /** Buckets of `bucketMs` over [from, to], folded from the coarsest tier that answers exactly. */
  aggregate(id: string, query: AggregateQuery): Promise<AggregateResult>;
}

export interface StoreHealth {
  ok: boolean;
  detail?: string;
}

/**
 * The time-series and metadata store. Implementations: the embedded SQLite adapter here and the
 * PostgreSQL adapter; both pass `describeStoreContract` (`@watershed/store/testing`).
 *
 * Lifecycle: obtained open from its factory; `close()` flushes what is pending and releases the
 * files or connections; every other call after `close()` rejects with WS_ERR_CLOSED.
 */
export interface Store extends TrendQueries {
  /** Inserts or replaces point metadata by id. */
  upsertPoints(points: readonly Point[]): Promise<void>;
  /** Declared points, ordered by id. */
  listPoints(filter?: PointFilter): Promise<Point[]>;
  getPoint(id: string): Promise<Point | undefined>;
  /**
   * Buffers rows and resolves once they are durable (committed). Idempotent on `(point, ts)`:
   * a replay never duplicates, the last write wins. Rows with an invalid shape reject the call
   * with WS_ERR_STORE_INVALID_SAMPLE before anything of it is buffered.
   */
  writeSamples(rows: readonly SampleRow[]): Promise<void>;
  /** Newest sample (greatest ts, not last written) per point; all points when `ids` is omitted. */
  latest(ids?: readonly string[]): Promise<Map<string, SampleRow>>;
  /** Samples of one point with `from <= ts <= to`, ascending ts. */
  series(id: string, range: SeriesRange): Promise<SampleRow[]>;
  /**
   * Rollup buckets of one point whose start lies in [start of the bucket holding `from`, `to`],
   * ascending. Rollups are maintained as samples are written, late and replayed ones included,
   * so they always agree with the raw samples they cover.
   */
  rollups(id: string, range: RollupRange): Promise<RollupRow[]>;
  /** Rules, edge configs, users, API keys and the audit log; see MetadataStore. */
  readonly metadata: MetadataStore;
  health(): StoreHealth;
  /** Flushes pending writes and releases resources; idempotent. */
  close(): Promise<void>;
}
