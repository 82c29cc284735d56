import type pg from 'pg';
import type { Clock, Logger, Registry } from '@watershed/common';
import type { SampleRow, Store, TrendQueries } from '../types.js';
import type { PartitionSpan } from './partitions.js';
import type { PostgresPruneResult, PostgresRetention } from './retention.js';

export interface PostgresStoreOptions {
  /** libpq URL, e.g. `postgresql://watershed@db:5432/watershed`; or give `pool`. */
  connectionString?: string;
  /** node-postgres pool settings (host, port, user, password, database, max …); merged over `connectionString`. */
  pool?: pg.PoolConfig;
  /** Schema holding the store's tables, created if missing; default `watershed`. */
  schema?: string;
  /** Width of each samples partition; default `week`. */
  partition?: PartitionSpan;
  /** Partitions created ahead of now, so writes rarely wait on DDL; default 2. */
  partitionsAhead?: number;
  /** How long each tier keeps data; default: everything, forever. */
  retention?: PostgresRetention;
  /** How often retention runs and partitions ahead are created, default 15 min (also once at open). */
  maintenanceIntervalMs?: number;
  /** Longest a written row waits to be batched with others, default 20 ms. */
  flushIntervalMs?: number;
  /** Pending rows that start a batch at once, default 20,000. */
  maxBatch?: number;
  /** Registry for the write path's metrics (`watershed_store_*`); none when omitted. */
  metrics?: Registry;
  logger?: Logger;
  clock?: Clock;
}

export interface PostgresStoreStats {
  batches: number;
  /** Rows waiting for the next batch. */
  pending: number;
  /** Rows of the batch being written now. */
  inflight: number;
  /** Rows dropped on write for being older than raw retention. */
  dropped: number;
}

export interface PostgresStore extends Store {
  /** Implemented here (trends.ts), so required on this adapter though optional on Store. */
  trend: TrendQueries['trend'];
  aggregate: TrendQueries['aggregate'];
  stats(): PostgresStoreStats;
  /**
   * At most `points` samples of one point in [from, to], ascending, chosen in the database so
   * that each of `points ÷ 4` equal time columns keeps its first, lowest, highest and last
   * numeric sample: peaks and troughs survive, gaps stay gaps. For trends of long raw ranges.
   */
  downsample(id: string, range: { from: number; to: number; points: number }): Promise<SampleRow[]>;
  /** Applies retention and creates the partitions ahead now (also runs every `maintenanceIntervalMs`). */
  maintain(): Promise<PostgresPruneResult>;
}
