export type {
  PointFilter,
  RollupRange,
  RollupRow,
  RollupTier,
  SampleRow,
  SeriesRange,
  Store,
  StoreHealth,
  QueryTier,
  DownsampleMethod,
  TrendQuery,
  TrendPoint,
  TrendResult,
  AggregateQuery,
  AggregateBucket,
  AggregateResult,
  TrendQueries,
} from './types.js';
export { TIER_WIDTH, bucketStart, pickDownsampleTier, pickAggregateTier } from './tiers.js';
export { QueryErrors } from './query/index.js';
export { StoreErrors } from './errors.js';
export * from './metadata/index.js';
export {
  openEmbeddedStore,
  DATABASE_FILE,
  type EmbeddedStore,
  type EmbeddedStoreOptions,
  type EmbeddedStoreStats,
} from './embedded/store.js';
export { createPostgresStore } from './postgres/store.js';
export type { PostgresStore, PostgresStoreOptions, PostgresStoreStats } from './postgres/options.js';
export type { PartitionSpan } from './postgres/partitions.js';
export type { PostgresRetention, PostgresPruneResult } from './postgres/retention.js';
export { PostgresStoreErrors } from './postgres/errors.js';
