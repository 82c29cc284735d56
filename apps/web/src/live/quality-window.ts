import type { Quality } from '@watershed/model';

/**
 * Counts, per point, the samples that arrived in a sliding window and how many were good —
 * the "data completeness" an operator reads off a group header. Arrival time (the browser's
 * clock) is used rather than sample time so a skewed device clock cannot hide a gap.
 */
export class QualityWindow {
  readonly #windowMs: number;
  readonly #byPoint = new Map<string, Ring>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  record(pointId: string, quality: Quality, now: number): void {
    let ring = this.#byPoint.get(pointId);
    if (ring === undefined) this.#byPoint.set(pointId, (ring = new Ring()));
    ring.prune(now - this.#windowMs);
    ring.push(now, quality === 'good');
  }

  share(pointIds: readonly string[], now: number): { good: number; total: number; silent: number } {
    let good = 0;
    let total = 0;
    let silent = 0;
    const since = now - this.#windowMs;
    for (const id of pointIds) {
      const ring = this.#byPoint.get(id);
      ring?.prune(since);
      if (ring === undefined || ring.size === 0) {
        silent++;
        continue;
      }
      good += ring.good;
      total += ring.size;
    }
    return { good, total, silent };
  }
}

/** Arrival times and goodness in arrival order; the head advances as entries expire. */
class Ring {
  #times: number[] = [];
  #goods: boolean[] = [];
  #head = 0;
  good = 0;

  get size(): number {
    return this.#times.length - this.#head;
  }

  push(t: number, isGood: boolean): void {
    this.#times.push(t);
    this.#goods.push(isGood);
    if (isGood) this.good++;
  }

  prune(before: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? 0) <= before) {
      if (this.#goods[this.#head] === true) this.good--;
      this.#head++;
    }
    // Compact once the dead prefix dominates, so memory stays proportional to the window.
    if (this.#head > 64 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#goods = this.#goods.slice(this.#head);
      this.#head = 0;
    }
  }
}
