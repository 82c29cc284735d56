import type Database from 'better-sqlite3';
import { StoreErrors } from '../errors.js';
import { bucketStart, TIER_WIDTH } from '../tiers.js';
import type { QueryTier, RollupTier } from '../types.js';
import { TIERS, type RollupMaintainer } from './rollups.js';

/** How long each tier keeps data, ms; a tier left out keeps everything. */
export interface RetentionPolicy {
  raw?: number;
  '1m'?: number;
  '1h'?: number;
}

export interface PruneResult {
  raw: number;
  '1m': number;
  '1h': number;
}

const HOUR = TIER_WIDTH['1h'];

/**
 * Deletes data older than each tier's retention. Cut-offs fall on hour boundaries so a tier
 * never holds part of a coarser bucket, and the raw cut-off also bounds what writes accept: a
 * sample older than it is dropped rather than stored, because a later replay of it would find
 * no raw row to replace and count it into the rollups a second time.
 */
export class Retention {
  readonly #policy: RetentionPolicy;
  readonly #rollups: RollupMaintainer;
  readonly #pointIds: Database.Statement<[], { id: number }>;
  readonly #pruneRaw: Database.Statement<[number, number]>;
  readonly #db: Database.Database;

  constructor(db: Database.Database, rollups: RollupMaintainer, policy: RetentionPolicy = {}) {
    validate(policy);
    this.#db = db;
    this.#policy = policy;
    this.#rollups = rollups;
    this.#pointIds = db.prepare('SELECT id FROM points');
    this.#pruneRaw = db.prepare('DELETE FROM samples WHERE point_id = ? AND ts < ?');
  }

  /** True when some tier has a limit, so pruning is worth scheduling. */
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

  /**
   * Deletes what has aged out: per point, so each delete is a range of the primary key, in its
   * own short transaction, yielding to the event loop every few points so API requests and write
   * batches interleave with a long prune. Stops early once `stopped()` says so (store closing).
   */
  async prune(now: number, stopped: () => boolean): Promise<PruneResult> {
    const result: PruneResult = { raw: 0, '1m': 0, '1h': 0 };
    if (!this.active) return result;
    const raw = this.rawCutoff(now);
    const tiers = TIERS.map((t): [RollupTier, number] => [t, cutoff(now, this.#policy[t])]);
    const prunePoint = this.#db.transaction((id: number) => {
      if (raw > Number.NEGATIVE_INFINITY) result.raw += this.#pruneRaw.run(id, raw).changes;
      for (const [tier, c] of tiers) {
        if (c > Number.NEGATIVE_INFINITY) result[tier] += this.#rollups.prune(id, tier, c);
      }
    });
    const ids = this.#pointIds.all();
    for (let i = 0; i < ids.length; i++) {
      if (stopped()) break;
      prunePoint((ids[i] as { id: number }).id);
      if (i % POINTS_PER_SLICE === POINTS_PER_SLICE - 1)
        await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  }
}

const POINTS_PER_SLICE = 64;

function cutoff(now: number, keepMs: number | undefined): number {
  return keepMs === undefined ? Number.NEGATIVE_INFINITY : bucketStart(now - keepMs, HOUR);
}

/** Coarser tiers must keep at least as long as finer ones, or a recompute would lose data. */
function validate(p: RetentionPolicy): void {
  const order: (keyof RetentionPolicy)[] = ['raw', '1m', '1h'];
  for (const k of order) {
    const v = p[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= HOUR)) {
      throw StoreErrors.INVALID_RETENTION.create([`${k} must be at least one hour in ms, got ${String(v)}`]);
    }
  }
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const fine = p[order[i] as keyof RetentionPolicy];
      const coarse = p[order[j] as keyof RetentionPolicy];
      if (coarse !== undefined && (fine === undefined || fine > coarse)) {
        throw StoreErrors.INVALID_RETENTION.create([
          `${order[j]} (${coarse} ms) must keep at least as long as ${order[i]} (${fine ?? 'forever'})`,
        ]);
      }
    }
  }
}
