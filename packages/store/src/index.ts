export type { PointFilter, SampleRow, SeriesRange, Store, StoreHealth } from './types.js';
export { StoreErrors } from './errors.js';
export {
  openEmbeddedStore,
  DATABASE_FILE,
  type EmbeddedStore,
  type EmbeddedStoreOptions,
  type EmbeddedStoreStats,
} from './embedded/store.js';
