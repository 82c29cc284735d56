import type { Clock } from '@watershed/common';

/**
 * Answers kept for a short while: a district's summary reads every meter of the district, and a
 * console page with several viewers asks for it every few seconds. Entries expire after
 * `ttlMs` on the injected clock; at most `max` are kept (the oldest go first). A failed
 * computation is not kept. No timers: expiry is checked on access.
 */
export class TtlCache<V> {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(clock: Clock, ttlMs: number, max = 256) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const now = this.#clock.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.#ttlMs) return hit.value;
    const value = compute();
    this.#entries.delete(key);
    this.#entries.set(key, { at: now, value });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }
}
