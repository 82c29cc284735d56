import type pg from 'pg';
import type { Clock } from '@watershed/common';
import { sqlMetadataStore } from '../../metadata/sql/store.js';
import type { MetadataStore } from '../../metadata/types.js';
import { PgExecutor } from './executor.js';

/** The PostgreSQL store's metadata part, on the store's pool, schema and clock. */
export function pgMetadata(
  pool: pg.Pool,
  schema: string,
  where: string,
  clock: Clock,
  closed: () => boolean,
): MetadataStore {
  return sqlMetadataStore(new PgExecutor(pool, schema, where, clock, closed));
}
