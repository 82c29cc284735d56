import type { SampleRow } from '@watershed/store';

/** What the tracker subscribes to: the server's live feed of stored samples. */
export interface SampleFeed {
  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void;
}

/**
 * Learns each point's reporting interval from the samples the server stores, so "fresh" means
 * "within a few of its own intervals" for a 1 s PLC tag and a daily meter alike. The interval
 * is a moving average of the spacing of source timestamps (EWMA, weight 1/8 like TCP's SRTT,
 * RFC 6298 §2), so one late or replayed sample does not swing it. Costs a map entry per point
 * and a few operations per sample on the ingest path.
 */
export class IntervalTracker {
  readonly #last = new Map<string, { ts: number; interval?: number }>();
  #unsubscribe: (() => void) | undefined;

  constructor(feed?: SampleFeed) {
    if (feed) this.#unsubscribe = feed.subscribe((rows) => this.observe(rows));
  }

  observe(rows: readonly SampleRow[]): void {
    for (const r of rows) {
      const seen = this.#last.get(r.point);
      if (!seen) {
        this.#last.set(r.point, { ts: r.ts });
        continue;
      }
      const gap = r.ts - seen.ts;
      if (gap <= 0) continue; // a replayed or reordered sample says nothing about the cadence
      seen.interval = seen.interval === undefined ? gap : seen.interval + (gap - seen.interval) / 8;
      seen.ts = r.ts;
    }
  }

  /** The learnt interval, ms; undefined until two samples of the point were seen. */
  intervalOf(point: string): number | undefined {
    return this.#last.get(point)?.interval;
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
