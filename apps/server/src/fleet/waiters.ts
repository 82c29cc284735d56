import type { Clock, TimerHandle } from '@watershed/common';

interface Waiter<T> {
  resolve(value: T | undefined): void;
  timer: TimerHandle;
}

/**
 * Answers awaited by key (a config ack by node and version, a write result by request id),
 * each with a deadline on the injected clock: `wait` resolves with the answer, or with
 * `undefined` when the deadline passes first. Several callers may wait for the same key.
 */
export class Waiters<T> {
  readonly #clock: Clock;
  readonly #waiting = new Map<string, Set<Waiter<T>>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  wait(key: string, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      let set = this.#waiting.get(key);
      if (!set) this.#waiting.set(key, (set = new Set()));
      const waiter: Waiter<T> = {
        resolve,
        timer: this.#clock.setTimeout(() => {
          this.#remove(key, waiter);
          resolve(undefined);
        }, timeoutMs),
      };
      set.add(waiter);
    });
  }

  /** Hands `value` to everyone waiting for `key`; true when someone was. */
  settle(key: string, value: T): boolean {
    const set = this.#waiting.get(key);
    if (!set) return false;
    this.#waiting.delete(key);
    for (const w of set) {
      this.#clock.clearTimeout(w.timer);
      w.resolve(value);
    }
    return true;
  }

  /** Ends every wait now with `undefined` (the owner is closing). */
  cancelAll(): void {
    for (const set of this.#waiting.values()) {
      for (const w of set) {
        this.#clock.clearTimeout(w.timer);
        w.resolve(undefined);
      }
    }
    this.#waiting.clear();
  }

  #remove(key: string, waiter: Waiter<T>): void {
    const set = this.#waiting.get(key);
    set?.delete(waiter);
    if (set?.size === 0) this.#waiting.delete(key);
  }
}
