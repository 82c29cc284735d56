import { randomBytes } from 'node:crypto';

/** What the callback needs to finish a login the browser started. */
export interface PendingLogin {
  /** PKCE code verifier (RFC 7636 §4.1): 43 characters of base64url. */
  verifier: string;
  /** Echoed in the ID token; checked so a token cannot be replayed into another login (OIDC Core §3.1.2.1). */
  nonce: string;
  /** Also set as a cookie in the browser that started the login: a callback from another browser fails. */
  binding: string;
  /** Where to go after login: a path of this console. */
  returnTo: string;
  createdAt: number;
}

const random = (): string => randomBytes(32).toString('base64url');

/**
 * Logins started and not yet finished, keyed by their `state`. Bounded in time (a login that
 * takes longer than `ttlMs` must start again) and in number (a flood of /login requests evicts
 * the oldest rather than growing memory).
 */
export class PendingLogins {
  readonly #byState = new Map<string, PendingLogin>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(opts: { ttlMs?: number; max?: number } = {}) {
    this.#ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.#max = opts.max ?? 10_000;
  }

  start(returnTo: string, now: number): { state: string; login: PendingLogin } {
    this.#sweep(now);
    while (this.#byState.size >= this.#max) {
      const oldest = this.#byState.keys().next().value;
      if (oldest === undefined) break;
      this.#byState.delete(oldest);
    }
    const state = random();
    const login = { verifier: random(), nonce: random(), binding: random(), returnTo, createdAt: now };
    this.#byState.set(state, login);
    return { state, login };
  }

  /** The login of `state`, once: a second callback with the same state finds nothing. */
  take(state: string, now: number): PendingLogin | undefined {
    const login = this.#byState.get(state);
    this.#byState.delete(state);
    if (!login || now - login.createdAt > this.#ttlMs) return undefined;
    return login;
  }

  get size(): number {
    return this.#byState.size;
  }

  #sweep(now: number): void {
    // Insertion order is age order: stop at the first one still fresh.
    for (const [state, login] of this.#byState) {
      if (now - login.createdAt <= this.#ttlMs) break;
      this.#byState.delete(state);
    }
  }
}
