import type { Store } from '@watershed/store';
import type { Scaled } from './selection.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/**
 * Minutes older than this are folded into the running total and not read again: a gateway's
 * store-and-forward replay may still add to the last ones (late samples), older ones rarely.
 */
const SETTLE_MS = 2 * MINUTE;

interface Folded {
  dayStart: number;
  /** Minutes before this are in `m3` and `coveredMs`. */
  foldedTo: number;
  m3: number;
  coveredMs: number;
}

export interface SupplyResult {
  volumeM3: number | null;
  /** Share of the time since midnight the flows had data, averaged over the points. */
  coverage: number | null;
}

/**
 * Supply volume since local midnight: each outlet flow integrated over the store's one-minute
 * rollups (mean flow of the minute × the minute), gaps left out rather than filled in — the
 * coverage says how much of the day had data. Settled minutes are summed once and kept, so a
 * wall display asking every five seconds reads only the last few minutes.
 */
export class SupplyIntegrator {
  readonly #store: Store;
  readonly #folded = new Map<string, Folded>();

  constructor(store: Store) {
    this.#store = store;
  }

  async volume(points: readonly Scaled[], dayStart: number, now: number): Promise<SupplyResult> {
    if (points.length === 0) return { volumeM3: null, coverage: null };
    let m3 = 0;
    let covered = 0;
    for (const p of points) {
      const r = await this.#pointVolume(p, dayStart, now);
      m3 += r.m3;
      covered += r.coveredMs;
    }
    const span = Math.max(1, now - dayStart);
    return { volumeM3: m3, coverage: Math.min(1, covered / points.length / span) };
  }

  async #pointVolume(
    { point, factor }: Scaled,
    dayStart: number,
    now: number,
  ): Promise<{ m3: number; coveredMs: number }> {
    let f = this.#folded.get(point.id);
    if (!f || f.dayStart !== dayStart) {
      f = { dayStart, foldedTo: Math.floor(dayStart / MINUTE) * MINUTE, m3: 0, coveredMs: 0 };
      this.#folded.set(point.id, f);
    }
    const settled = Math.floor((now - SETTLE_MS) / MINUTE) * MINUTE;
    const { buckets } = await this.#store.aggregate(point.id, {
      from: f.foldedTo,
      to: now,
      bucketMs: MINUTE,
    });
    let m3 = 0;
    let coveredMs = 0;
    for (const b of buckets) {
      if (b.ts < f.foldedTo || b.avg === null) continue;
      const ms = Math.min(b.ts + MINUTE, now) - Math.max(b.ts, dayStart);
      if (ms <= 0) continue;
      const v = (b.avg * factor * ms) / HOUR;
      if (b.ts + MINUTE <= settled) {
        f.m3 += v;
        f.coveredMs += ms;
      } else {
        m3 += v;
        coveredMs += ms;
      }
    }
    if (settled > f.foldedTo) f.foldedTo = settled;
    return { m3: f.m3 + m3, coveredMs: f.coveredMs + coveredMs };
  }

  /** Forgets points no longer selected (a site removed): the cache holds only what is asked. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.#folded.keys()) if (!ids.has(id)) this.#folded.delete(id);
  }
}
