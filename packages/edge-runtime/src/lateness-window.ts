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
