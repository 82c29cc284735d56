import type Database from 'better-sqlite3';
import { RetentionLimits, type RetentionPolicy } from '../retention-limits.js';
import type { RollupTier } from '../types.js';
import { TIERS, type RollupMaintainer } from './rollups.js';

/** How long each tier keeps data, ms; a tier left out keeps everything. */
export type { RetentionPolicy } from '../retention-limits.js';

export interface PruneResult {
  raw: number;
  '1m': number;
  '1h': number;
}

/**
 * Deletes data older than each tier's retention. Cut-offs fall on hour boundaries so a tier
 * never holds part of a coarser bucket, and the raw cut-off also bounds what writes accept: a
 * sample older than it is dropped rather than stored, because a later replay of it would find
 * no raw row to replace and count it into the rollups a second time.
 */
export class Retention extends RetentionLimits {
  readonly #rollups: RollupMaintainer;
  readonly #pointIds: Database.Statement<[], { id: number }>;
  readonly #pruneRaw: Database.Statement<[number, number]>;
  readonly #db: Database.Database;

  constructor(db: Database.Database, rollups: RollupMaintainer, policy: RetentionPolicy = {}) {
    super(policy);
    this.#db = db;
    this.#rollups = rollups;
    this.#pointIds = db.prepare('SELECT id FROM points');
    this.#pruneRaw = db.prepare('DELETE FROM samples WHERE point_id = ? AND ts < ?');
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
    const tiers = TIERS.map((t): [RollupTier, number] => [t, this.cutoff(t, now)]);
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
