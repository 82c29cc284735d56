import type Database from 'better-sqlite3';
import type { Clock } from '@watershed/common';
import { sqlMetadataStore } from '../../metadata/sql/store.js';
import type { MetadataStore } from '../../metadata/types.js';
import { SqliteExecutor } from './executor.js';

/** The embedded store's metadata part, on the store's own connection and clock. */
export function sqliteMetadata(db: Database.Database, clock: Clock, closed: () => boolean): MetadataStore {
  return sqlMetadataStore(new SqliteExecutor(db, clock, closed));
}
