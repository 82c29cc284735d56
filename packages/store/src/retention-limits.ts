import { StoreErrors } from './errors.js';
import { bucketStart, TIER_WIDTH } from './tiers.js';
import type { QueryTier } from './types.js';

/** How long each tier is kept, in ms; absent = forever. The same shape for every adapter. */
export interface RetentionPolicy {
  raw?: number;
  '1m'?: number;
  '1h'?: number;
}

const HOUR = TIER_WIDTH['1h'];
const ORDER: readonly QueryTier[] = ['raw', '1m', '1h'];

/**
 * What every adapter's retention agrees on: the policy is checked once, and cut-offs fall on hour
 * boundaries so a tier never holds part of a coarser bucket. The adapters add how they delete.
 */
export abstract class RetentionLimits {
  protected readonly policy: RetentionPolicy;

  constructor(policy: RetentionPolicy = {}) {
    checkRetentionPolicy(policy);
    this.policy = policy;
  }

  /** True when some tier has a limit, so pruning is worth scheduling. */
  get active(): boolean {
    return ORDER.some((t) => this.policy[t] !== undefined);
  }

  /** Oldest ts `tier` keeps at `now`: data below it is pruned; -Infinity when kept forever. */
  cutoff(tier: QueryTier, now: number): number {
    const keepMs = this.policy[tier];
    return keepMs === undefined ? Number.NEGATIVE_INFINITY : bucketStart(now - keepMs, HOUR);
  }

  /** Samples with ts below this are outside raw retention. */
  rawCutoff(now: number): number {
    return this.cutoff('raw', now);
  }

  /** Oldest ts each tier still holds at `now` (-Infinity: kept forever), for picking a query's tier. */
  keptFrom(now: number): Record<QueryTier, number> {
    return { raw: this.cutoff('raw', now), '1m': this.cutoff('1m', now), '1h': this.cutoff('1h', now) };
  }
}

/** Each limit at least an hour, and coarser tiers keep at least as long as finer ones, or a recompute would lose data. */
export function checkRetentionPolicy(p: RetentionPolicy): void {
  for (const k of ORDER) {
    const v = p[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= HOUR)) {
      throw StoreErrors.INVALID_RETENTION.create([`${k} must be at least one hour in ms, got ${String(v)}`]);
    }
  }
  for (let i = 0; i < ORDER.length; i++) {
    for (let j = i + 1; j < ORDER.length; j++) {
      const fine = p[ORDER[i]!];
      const coarse = p[ORDER[j]!];
      if (coarse !== undefined && (fine === undefined || fine > coarse)) {
        throw StoreErrors.INVALID_RETENTION.create([
          `${ORDER[j]} (${coarse} ms) must keep at least as long as ${ORDER[i]} (${fine ?? 'forever'})`,
        ]);
      }
    }
  }
}
