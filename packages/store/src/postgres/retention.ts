import type pg from 'pg';
import { StoreErrors } from '../errors.js';
import { bucketStart, TIER_WIDTH } from '../tiers.js';
import type { QueryTier, RollupTier } from '../types.js';
import type { PartitionManager } from './partitions.js';

/** How long each tier keeps data, ms; a tier left out keeps everything (as in the embedded store). */
export interface PostgresRetention {
  raw?: number;
  '1m'?: number;
  '1h'?: number;
}

export interface PostgresPruneResult {
  /** Raw partitions dropped, by name. */
  partitions: string[];
  '1m': number;
  '1h': number;
}

const HOUR = TIER_WIDTH['1h'];
const TIERS: readonly RollupTier[] = ['1m', '1h'];

/**
 * Retention of the PostgreSQL store. Raw samples go a whole partition at a time, once the
 * partition lies entirely before the raw cut-off (a DROP TABLE: no row deletes, no bloat); rollup
 * buckets are deleted by range of their primary key. Cut-offs fall on hour boundaries, and writes
 * older than the raw cut-off are dropped rather than stored, for the embedded store's reason: a
 * later replay of a pruned sample would find no raw row to replace and count twice in the rollups.
 */
export class PostgresRetentionPolicy {
  readonly #policy: PostgresRetention;
  readonly #schema: string;

  constructor(schema: string, policy: PostgresRetention = {}) {
    validate(policy);
    this.#schema = schema;
    this.#policy = policy;
  }

  get active(): boolean {
    return this.#policy.raw !== undefined || TIERS.some((t) => this.#policy[t] !== undefined);
  }

  /** Samples with ts below this are outside raw retention. */
  rawCutoff(now: number): number {
    return cutoff(now, this.#policy.raw);
  }

  /** Oldest ts each tier still holds at `now` (-Infinity: kept forever), for picking a query's tier. */
  keptFrom(now: number): Record<QueryTier, number> {
    return {
      raw: this.rawCutoff(now),
      '1m': cutoff(now, this.#policy['1m']),
      '1h': cutoff(now, this.#policy['1h']),
    };
  }

  async prune(db: pg.ClientBase, partitions: PartitionManager, now: number): Promise<PostgresPruneResult> {
    const result: PostgresPruneResult = { partitions: [], '1m': 0, '1h': 0 };
    const raw = this.rawCutoff(now);
    if (raw > Number.NEGATIVE_INFINITY) result.partitions = await partitions.dropBefore(db, raw);
    for (const tier of TIERS) {
      const c = cutoff(now, this.#policy[tier]);
      if (c === Number.NEGATIVE_INFINITY) continue;
      const r = await db.query(`DELETE FROM ${this.#schema}.rollup_${tier} WHERE bucket < $1`, [c]);
      result[tier] = r.rowCount ?? 0;
    }
    return result;
  }
}

function cutoff(now: number, keepMs: number | undefined): number {
  return keepMs === undefined ? Number.NEGATIVE_INFINITY : bucketStart(now - keepMs, HOUR);
}

/** Coarser tiers must keep at least as long as finer ones, or a recompute would lose data. */
function validate(p: PostgresRetention): void {
  const order: (keyof PostgresRetention)[] = ['raw', '1m', '1h'];
  for (const k of order) {
    const v = p[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= HOUR)) {
      throw StoreErrors.INVALID_RETENTION.create([`${k} must be at least one hour in ms, got ${String(v)}`]);
    }
  }
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const fine = p[order[i] as keyof PostgresRetention];
      const coarse = p[order[j] as keyof PostgresRetention];
      if (coarse !== undefined && (fine === undefined || fine > coarse)) {
        throw StoreErrors.INVALID_RETENTION.create([
          `${order[j]} (${coarse} ms) must keep at least as long as ${order[i]} (${fine ?? 'forever'})`,
        ]);
      }
    }
  }
}
