import type { Clock, Logger } from '@watershed/common';
import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWTHeaderParameters,
  type KeyObject,
  type CryptoKey,
} from 'jose';
import { AuthErrors } from './errors.js';

export interface JwksOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keys older than this are refetched before use (a failed refetch keeps the old ones). */
  readonly cacheMaxAgeMs: number;
  /** At most one fetch per this interval, however many tokens name unknown kids. */
  readonly minRefetchIntervalMs: number;
  readonly timeoutMs: number;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * The keys of a JWKS endpoint (RFC 7517 §5), fetched on first use and cached. A token whose
 * `kid` is not in the cache triggers a refetch — that is how an issuer's key rotation reaches
 * the broker — but fetches are rate-bounded, so a flood of tokens with made-up kids costs the
 * issuer one request per interval, not one per CONNECT. Concurrent refreshes share one fetch.
 * Time decisions use the injected clock.
 */
export class JwksCache {
  readonly #opts: JwksOptions;
  #keys: LocalSet | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;
  readonly #closed = new AbortController();
  /** Fetches made so far (for tests and the log). */
  fetches = 0;

  constructor(opts: JwksOptions) {
    this.#opts = opts;
  }

  /** A jose key resolver: `jwtVerify(token, cache.getKey, …)`. */
  readonly getKey = async (
    header: JWTHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey | KeyObject | Uint8Array> => {
    const now = this.#opts.clock.now();
    if (
      this.#keys === undefined ||
      (now - this.#fetchedAt >= this.#opts.cacheMaxAgeMs && this.#mayFetch(now))
    )
      await this.#refresh();
    const keys = this.#keys;
    if (keys === undefined) throw AuthErrors.JWKS_UNAVAILABLE.create([this.#opts.url, 'no keys fetched yet']);
    try {
      return await keys(header, token);
    } catch (err) {
      // An unknown kid may be a key the issuer has just rotated in: look again, within the bound.
      if (!(err instanceof errors.JWKSNoMatchingKey) || !this.#mayFetch(this.#opts.clock.now())) throw err;
      await this.#refresh();
      return this.#keys!(header, token);
    }
  };

  close(): void {
    this.#closed.abort();
  }

  #mayFetch(now: number): boolean {
    return now - this.#attemptedAt >= this.#opts.minRefetchIntervalMs;
  }

  #refresh(): Promise<void> {
    this.#refreshing ??= this.#fetch().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #fetch(): Promise<void> {
    const { url, clock, logger, timeoutMs } = this.#opts;
    this.#attemptedAt = clock.now();
    this.fetches++;
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([timeout.signal, this.#closed.signal]),
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as JSONWebKeySet;
      this.#keys = createLocalJWKSet(body);
      this.#fetchedAt = clock.now();
      logger.info({ url, keys: body.keys.length }, 'JWKS fetched');
    } catch (err) {
      const reason = timeout.signal.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      // Old keys stay in use: an unreachable issuer must not lock out clients with valid tokens.
      logger.warn({ url, reason }, 'JWKS fetch failed');
      if (this.#keys === undefined) throw AuthErrors.JWKS_UNAVAILABLE.create([url, reason], undefined, err);
    } finally {
      clock.clearTimeout(timer);
    }
  }
}
