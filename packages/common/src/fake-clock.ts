import type { Clock, TimerHandle } from './clock.js';

interface Timer extends TimerHandle {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/** A clock that moves only when told to; timers fire in time order inside `advance`. */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, Timer>();

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete((handle as Timer).id);
  }

  clearInterval(handle: TimerHandle): void {
    this.clearTimeout(handle);
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order; awaits microtasks between timers. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    // Let work started before this call (a promise chain just kicked off) settle first.
    await flushMicrotasks();
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers.values()) if (t.at <= end && (!next || t.at < next.at)) next = t;
      if (!next) break;
      this.#now = next.at;
      if (next.every !== undefined) next.at += next.every;
      else this.#timers.delete(next.id);
      next.fn();
      await flushMicrotasks();
    }
    this.#now = end;
    await flushMicrotasks();
  }

  #add(fn: () => void, ms: number, every?: number): Timer {
    const t: Timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), fn, unref: () => undefined };
    if (every !== undefined) t.every = every;
    this.#timers.set(t.id, t);
    return t;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
