import type { QueryTier, RollupTier } from './types.js';

/** Width of each rollup tier's buckets, ms. */
export const TIER_WIDTH: Readonly<Record<RollupTier, number>> = { '1m': 60_000, '1h': 3_600_000 };

/** Start of the bucket of `width` holding `ts`; floors toward -∞ so pre-1970 times bucket correctly. */
export function bucketStart(ts: number, width: number): number {
  return ts - (((ts % width) + width) % width);
}

/** Finest first: the order in which `pickDownsampleTier` considers the tiers. */
export const QUERY_TIERS: readonly QueryTier[] = ['raw', '1m', '1h'];

/**
 * Rows a tier may contribute per requested point before the next coarser tier is read instead:
 * min/max selection needs up to 4 rows per output column to keep both extremes, so reading more
 * than that buys no visible detail and costs a read proportional to the range.
 */
export const ROWS_PER_POINT = 4;

export interface TierPickInput {
  from: number;
  to: number;
  points: number;
  /** Raw samples in the range, or an estimate (e.g. the sum of the hourly rollups' counts). */
  rawRows: number;
  /** Oldest ts each tier still holds (retention), -Infinity when kept forever; default all kept. */
  keptFrom?: Partial<Record<QueryTier, number>>;
}

/**
 * The finest tier that both still holds `from` (retention) and answers with at most
 * ROWS_PER_POINT × points rows; the 1-hour tier when none does. Rollup rows per range are their
 * bucket count, bounded by the raw rows (a bucket exists only where samples are).
 */
export function pickDownsampleTier(input: TierPickInput): QueryTier {
  const budget = ROWS_PER_POINT * Math.max(1, input.points);
  const span = Math.max(0, input.to - input.from) + 1;
  for (const tier of QUERY_TIERS) {
    const kept = input.keptFrom?.[tier] ?? Number.NEGATIVE_INFINITY;
    if (kept > input.from) continue;
    const rows =
      tier === 'raw' ? input.rawRows : Math.min(input.rawRows, Math.ceil(span / TIER_WIDTH[tier]) + 1);
    if (rows <= budget) return tier;
  }
  return '1h';
}

/**
 * The coarsest tier whose buckets nest exactly in buckets of `bucketMs` (its width divides it),
 * so the aggregate is exact and reads the fewest rows; raw when no tier width divides it.
 */
export function pickAggregateTier(bucketMs: number): QueryTier {
  for (let i = QUERY_TIERS.length - 1; i > 0; i--) {
    const tier = QUERY_TIERS[i] as RollupTier;
    if (bucketMs % TIER_WIDTH[tier] === 0) return tier;
  }
  return 'raw';
}
