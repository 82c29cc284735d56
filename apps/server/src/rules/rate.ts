/**
 * Messages per second per rule over the last minute, from the engine's `matched` counters
 * sampled every `intervalMs` by the runtime (a counter per message is already there; a rate
 * needs only its history).
 */
export class RuleRates {
  readonly #windowMs: number;
  readonly #history = new Map<string, { t: number; matched: number }[]>();

  constructor(windowMs = 60_000) {
    this.#windowMs = windowMs;
  }

  sample(rule: string, matched: number, now: number): void {
    let h = this.#history.get(rule);
    if (!h) this.#history.set(rule, (h = []));
    h.push({ t: now, matched });
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (h.length > 2 && h[1]!.t <= now - this.#windowMs) h.shift();
  }

  /** Per second between the oldest kept sample and `matched` now; 0 without history. */
  rate(rule: string, matched: number, now: number): number {
    const oldest = this.#history.get(rule)?.[0];
    if (!oldest || now <= oldest.t) return 0;
    return ((matched - oldest.matched) * 1000) / (now - oldest.t);
  }

  forget(rule: string): void {
    this.#history.delete(rule);
  }
}
