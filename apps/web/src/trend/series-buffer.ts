import type { Sample, SampleValue } from '@watershed/model';

/** One plotted point: time and value, or null for a gap (bad quality or not a number). */
export type PlotPoint = [number, number | null];

/**
 * The samples of one trend series: history fetched from `/series` merged with live samples
 * from the stream, kept in time order, bounded in count so a chart left open for a shift
 * does not grow without limit.
 */
export class SeriesBuffer {
  readonly #cap: number;
  #samples: Sample[] = [];

  constructor(cap: number) {
    this.#cap = cap;
  }

  get size(): number {
    return this.#samples.length;
  }

  /** Merges fetched history with what the stream delivered while it was loading (same ts: the later source wins). */
  mergeHistory(history: readonly Sample[]): void {
    const byTs = new Map<number, Sample>();
    for (const s of history) byTs.set(s.ts, s);
    for (const s of this.#samples) byTs.set(s.ts, s);
    this.#samples = [...byTs.values()].sort((a, b) => a.ts - b.ts);
    this.#enforceCap();
  }

  /**
   * Adds a live sample. With `minSpacingMs`, a sample closer than that to the previous one is
   * skipped unless its quality changed — a long window then keeps the density of its history
   * instead of filling the cap with the last few minutes.
   */
  append(sample: Sample, minSpacingMs = 0): void {
    const last = this.#samples[this.#samples.length - 1];
    if (
      last !== undefined &&
      sample.ts > last.ts &&
      sample.ts - last.ts < minSpacingMs &&
      sample.quality === last.quality
    ) {
      return;
    }
    if (last === undefined || sample.ts > last.ts) this.#samples.push(sample);
    else if (sample.ts === last.ts) this.#samples[this.#samples.length - 1] = sample;
    else {
      // Late arrivals (store-and-forward replay) are rare: insert in place.
      const i = lowerBound(this.#samples, sample.ts);
      if (this.#samples[i]?.ts === sample.ts) this.#samples[i] = sample;
      else this.#samples.splice(i, 0, sample);
    }
    this.#enforceCap();
  }

  /** Drops samples older than `ts`, keeping the last one before it so the line enters the window from its edge. */
  trimBefore(ts: number): void {
    const i = lowerBound(this.#samples, ts);
    if (i > 1) this.#samples = this.#samples.slice(i - 1);
  }

  toPlot(): PlotPoint[] {
    return this.#samples.map((s) => [s.ts, plotValue(s)]);
  }

  #enforceCap(): void {
    if (this.#samples.length > this.#cap)
      this.#samples = this.#samples.slice(this.#samples.length - this.#cap);
  }
}

export function plotValue(s: { value: SampleValue; quality: Sample['quality'] }): number | null {
  if (s.quality === 'bad') return null;
  if (typeof s.value === 'number') return Number.isFinite(s.value) ? s.value : null;
  if (typeof s.value === 'boolean') return s.value ? 1 : 0;
  return null;
}

function lowerBound(samples: readonly Sample[], ts: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid]?.ts ?? 0) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
