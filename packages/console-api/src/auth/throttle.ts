import type { Clock } from '@watershed/common';

export interface LoginThrottleOptions {
  clock: Clock;
  /** Failures within `windowMs` that lock the name+address pair; default 5. */
  maxFailures?: number;
  /** How long a lock lasts, and the window failures are counted in; default 15 min. */
  lockMs?: number;
  /** Pairs remembered at most; the oldest are forgotten first. Default 10,000. */
  maxEntries?: number;
}

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil?: number;
}

/**
 * Failed-login throttling per user name + client address (OWASP Authentication Cheat Sheet,
 * "Login Throttling"): after `maxFailures` failures the pair is locked for `lockMs`, even for
 * the right password. Keyed on the pair, so someone guessing from one address cannot lock the
 * real user out from another. In memory: a restart forgets, which only helps the user.
 */
export class LoginThrottle {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #lockMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: LoginThrottleOptions) {
    this.#clock = opts.clock;
    this.#max = opts.maxFailures ?? 5;
    this.#lockMs = opts.lockMs ?? 15 * 60_000;
    this.#maxEntries = opts.maxEntries ?? 10_000;
  }

  /** Milliseconds the pair stays locked, or 0 when it may try. */
  lockedFor(name: string, from: string): number {
    const e = this.#entries.get(key(name, from));
    if (e?.lockedUntil === undefined) return 0;
    return Math.max(0, e.lockedUntil - this.#clock.now());
  }

  /** Counts a failure; returns true when this failure locked the pair. */
  fail(name: string, from: string): boolean {
    const k = key(name, from);
    const now = this.#clock.now();
    let e = this.#entries.get(k);
    if (!e || now - e.firstAt >= this.#lockMs || (e.lockedUntil !== undefined && now >= e.lockedUntil)) {
      e = { failures: 0, firstAt: now };
    }
    e.failures += 1;
    if (e.failures >= this.#max) e.lockedUntil = now + this.#lockMs;
    // Re-inserted so the Map's order is least recently failed first.
    this.#entries.delete(k);
    this.#entries.set(k, e);
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return e.lockedUntil !== undefined;
  }

  succeed(name: string, from: string): void {
    this.#entries.delete(key(name, from));
  }
}

function key(name: string, from: string): string {
  return `${name.toLowerCase()}\n${from}`;
}
