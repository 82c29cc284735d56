import type { Sample } from '@watershed/model';
import type { LiveSample, PointWithLatest } from '../api/types.js';
import { QualityWindow } from './quality-window.js';

/**
 * The latest sample of every point, fed by the point list (a snapshot) and the live stream
 * (increments). Components subscribe per point through `useSyncExternalStore`, so a batch
 * re-renders only the rows whose value changed.
 */
export class LiveStore {
  readonly #latest = new Map<string, Sample>();
  readonly #listeners = new Set<() => void>();
  readonly #window: QualityWindow;
  readonly #now: () => number;

  constructor(opts: { now?: () => number; windowMs?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#window = new QualityWindow(opts.windowMs ?? 60_000);
  }

  /** Takes the server's snapshot; a value the stream already delivered and that is newer wins. */
  seed(points: readonly PointWithLatest[]): void {
    let changed = false;
    for (const p of points) {
      if (p.latest !== undefined) changed = this.#put(p.id, p.latest) || changed;
    }
    if (changed) this.#notify();
  }

  apply(batch: readonly LiveSample[]): void {
    const now = this.#now();
    let changed = false;
    for (const s of batch) {
      this.#window.record(s.point, s.quality, now);
      const sample: Sample = { ts: s.ts, value: s.value, quality: s.quality };
      if (s.reason !== undefined) sample.reason = s.reason;
      changed = this.#put(s.point, sample) || changed;
    }
    if (changed) this.#notify();
  }

  latest(pointId: string): Sample | undefined {
    return this.#latest.get(pointId);
  }

  /** Good and total samples received for these points within the window, and how many points were silent. */
  completeness(pointIds: readonly string[]): { good: number; total: number; silent: number } {
    return this.#window.share(pointIds, this.#now());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #put(id: string, sample: Sample): boolean {
    const prev = this.#latest.get(id);
    // Replayed or reordered samples must not roll a value back.
    if (prev !== undefined && prev.ts > sample.ts) return false;
    if (
      prev !== undefined &&
      prev.ts === sample.ts &&
      prev.value === sample.value &&
      prev.quality === sample.quality
    ) {
      return false;
    }
    this.#latest.set(id, sample);
    return true;
  }

  #notify(): void {
    for (const l of this.#listeners) l();
  }
}
