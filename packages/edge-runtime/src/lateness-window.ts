/**
 * The last `size` values of a measurement (poll lateness, ms) in a fixed ring, with
 * percentiles over them: a bounded, recent view, so a slow hour last week does not mask today.
 */
export class RecentWindow {
  readonly #values: Float64Array;
  #count = 0;
  #next = 0;

  constructor(size = 256) {
    this.#values = new Float64Array(size);
  }

  add(v: number): void {
    this.#values[this.#next] = v;
    this.#next = (this.#next + 1) % this.#values.length;
    if (this.#count < this.#values.length) this.#count++;
  }

  /** Nearest-rank percentile (p in 0..100) of the values held; 0 when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const sorted = this.#values.slice(0, this.#count).sort();
    const rank = Math.ceil((p / 100) * this.#count);
    return sorted[Math.min(this.#count, Math.max(1, rank)) - 1] ?? 0;
  }
}

/** Upper bounds (ms) of the lateness histogram's buckets; a last bucket holds everything above. */
export const LATENESS_BUCKETS_MS: readonly number[] = [
  1, 2, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200, 300, 500, 1000, 2000, 5000,
];

/**
 * Every lateness since start, counted into fixed buckets (Prometheus-style, never reset):
 * two snapshots subtracted give the exact distribution of a chosen window, e.g. a benchmark's
 * measured minute, which the last-256 RecentWindow cannot (it also holds start-up polls).
 */
export class LatenessHistogram {
  readonly #counts = new Array<number>(LATENESS_BUCKETS_MS.length + 1).fill(0);

  add(ms: number): void {
    let i = 0;
    while (i < LATENESS_BUCKETS_MS.length && ms > LATENESS_BUCKETS_MS[i]!) i++;
    this.#counts[i]!++;
  }

  /** Counts per bucket (not cumulative), aligned with LATENESS_BUCKETS_MS plus one overflow. */
  counts(): number[] {
    return [...this.#counts];
  }
}

/**
 * The bucket bound under which `p` % of the counted values lie (nearest rank): an upper bound
 * of the true percentile. `Infinity` when it falls in the overflow bucket, 0 when empty.
 */
export function histogramPercentile(counts: readonly number[], p: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen >= rank) return LATENESS_BUCKETS_MS[i] ?? Infinity;
  }
  return Infinity;
}
