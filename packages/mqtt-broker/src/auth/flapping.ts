/**
 * Connection-flapping detection: a client id that CONNECTs `maxConnects` times within
 * `windowMs` is misbehaving (a crash loop, two devices sharing an id and taking each other
 * over) and gets a temporary ban, which protects the broker from the reconnect storm and
 * the session churn it causes. Timestamps come from the caller's clock.
 */
export class FlapDetector {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #seen = new Map<string, number[]>();

  constructor(maxConnects: number, windowMs: number) {
    this.#max = maxConnects;
    this.#windowMs = windowMs;
  }

  /** Records one CONNECT; returns true when it completes a flap (the caller bans the id). */
  record(clientId: string, now: number): boolean {
    // Bounded memory: ids that went quiet are swept once the map grows.
    if (this.#seen.size >= 10_000) this.#sweep(now);
    const since = now - this.#windowMs;
    const times = (this.#seen.get(clientId) ?? []).filter((t) => t > since);
    times.push(now);
    if (times.length >= this.#max) {
      this.#seen.delete(clientId);
      return true;
    }
    this.#seen.set(clientId, times);
    return false;
  }

  get tracked(): number {
    return this.#seen.size;
  }

  #sweep(now: number): void {
    const since = now - this.#windowMs;
    for (const [id, times] of this.#seen) if (times[times.length - 1]! <= since) this.#seen.delete(id);
  }
}
