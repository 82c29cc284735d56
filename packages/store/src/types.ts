import type { Point, Quality, SampleValue } from '@watershed/model';

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
export interface Store {
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
  health(): StoreHealth;
  /** Flushes pending writes and releases resources; idempotent. */
  close(): Promise<void>;
}
