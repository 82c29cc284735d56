/** Order statistics over recorded samples (latencies), computed after the run, off the hot path. */

/**
 * The q-quantile (0 ≤ q ≤ 1) of `sorted` by the nearest-rank method: the smallest sample such
 * that at least q of all samples are ≤ it. Nearest-rank never interpolates, so p99.9 of 1,000
 * samples is the largest one — a tail figure is never made up from two neighbours.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const rank = Math.ceil(q * n);
  return sorted[Math.max(0, rank - 1)]!;
}

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Sorts a copy of the first `count` samples and summarises them. */
export function summarize(samples: Float64Array, count = samples.length): Summary {
  const sorted = samples.slice(0, count).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: quantileSorted(sorted, 0.5),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
