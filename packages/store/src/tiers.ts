import type { RollupTier } from './types.js';

/** Width of each rollup tier's buckets, ms. */
export const TIER_WIDTH: Readonly<Record<RollupTier, number>> = { '1m': 60_000, '1h': 3_600_000 };

/** Start of the bucket of `width` holding `ts`; floors toward -∞ so pre-1970 times bucket correctly. */
export function bucketStart(ts: number, width: number): number {
  return ts - (((ts % width) + width) % width);
}
