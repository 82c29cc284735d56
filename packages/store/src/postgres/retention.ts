import type pg from 'pg';
import { RetentionLimits, type RetentionPolicy } from '../retention-limits.js';
import type { RollupTier } from '../types.js';
import type { PartitionManager } from './partitions.js';

/** How long each tier keeps data, ms; a tier left out keeps everything (as in the embedded store). */
export type { RetentionPolicy as PostgresRetention } from '../retention-limits.js';

export interface PostgresPruneResult {
  /** Raw partitions dropped, by name. */
  partitions: string[];
  '1m': number;
  '1h': number;
}

const TIERS: readonly RollupTier[] = ['1m', '1h'];

/**
 * Retention of the PostgreSQL store. Raw samples go a whole partition at a time, once the
 * partition lies entirely before the raw cut-off (a DROP TABLE: no row deletes, no bloat); rollup
 * buckets are deleted by range of their primary key. Cut-offs fall on hour boundaries, and writes
 * older than the raw cut-off are dropped rather than stored, for the embedded store's reason: a
 * later replay of a pruned sample would find no raw row to replace and count twice in the rollups.
 */
export class PostgresRetentionPolicy extends RetentionLimits {
  readonly #schema: string;

  constructor(schema: string, policy: RetentionPolicy = {}) {
    super(policy);
    this.#schema = schema;
  }

  async prune(db: pg.ClientBase, partitions: PartitionManager, now: number): Promise<PostgresPruneResult> {
    const result: PostgresPruneResult = { partitions: [], '1m': 0, '1h': 0 };
    const raw = this.rawCutoff(now);
    if (raw > Number.NEGATIVE_INFINITY) result.partitions = await partitions.dropBefore(db, raw);
    for (const tier of TIERS) {
      const c = this.cutoff(tier, now);
      if (c === Number.NEGATIVE_INFINITY) continue;
      const r = await db.query(`DELETE FROM ${this.#schema}.rollup_${tier} WHERE bucket < $1`, [c]);
      result[tier] = r.rowCount ?? 0;
    }
    return result;
  }
}
