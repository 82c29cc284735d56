import type { Clock, Logger } from '@watershed/common';
import { AuthErrors } from './errors.js';
import { parseAclGrant } from './grants.js';
import { fillPlaceholders } from './placeholders.js';
import type { HttpSourceConfig } from './schema.js';
import { IGNORE, type AuthRequest, type AuthSource, type AuthVerdict } from './source.js';

export interface HttpCalloutDeps {
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Asks an HTTP service, as EMQX's HTTP authenticator does: a POST with a JSON body built from
 * the configured template, answered by
 *
 *     200 {"result": "allow" | "deny" | "ignore", "is_superuser": bool, "acl": …, "expire_at": s}
 *     204 (no body)  → allow
 *
 * Anything else — a timeout, a refused connection, a 4xx/5xx, a body that is not such JSON —
 * is the service failing, answered with `onError` ("ignore": the next source decides; "deny").
 * At most `maxConcurrent` requests are in flight; the rest queue, and the timeout counts from
 * the CONNECT, queueing included, so a slow service cannot pile up unbounded work.
 */
export class HttpCalloutSource implements AuthSource {
  readonly kind = 'http';
  readonly #config: HttpSourceConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #closed = new AbortController();
  readonly #waiting: (() => void)[] = [];
  #inFlight = 0;

  constructor(config: HttpSourceConfig, deps: HttpCalloutDeps) {
    this.#config = config;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  async authenticate(req: AuthRequest): Promise<AuthVerdict> {
    const c = this.#config;
    const timeout = new AbortController();
    const timer = this.#clock.setTimeout(() => timeout.abort(), c.timeoutMs);
    const signal = AbortSignal.any([timeout.signal, this.#closed.signal]);
    try {
      await this.#acquire(signal);
      try {
        return await this.#ask(req, signal);
      } finally {
        this.#release();
      }
    } catch (err) {
      const reason = timeout.signal.aborted
        ? `no answer within ${c.timeoutMs} ms`
        : this.#closed.signal.aborted
          ? 'closed'
          : (err as Error).message;
      this.#logger.warn(
        { err: AuthErrors.HTTP_AUTH_FAILED.create([c.url, reason]).message, clientId: req.clientId },
        'HTTP authentication failed',
      );
      return c.onError === 'deny'
        ? { result: 'deny', reason: 'not_authorized', detail: `http: ${reason}` }
        : IGNORE;
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.#closed.abort();
    return Promise.resolve();
  }

  async #ask(req: AuthRequest, signal: AbortSignal): Promise<AuthVerdict> {
    const c = this.#config;
    const body: Record<string, string> = {};
    for (const [key, template] of Object.entries(c.body)) body[key] = fillPlaceholders(template, req);
    const res = await fetch(c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...c.headers },
      body: JSON.stringify(body),
      signal,
    });
    if (res.status === 204) {
      await res.body?.cancel();
      return { result: 'allow', ...(req.username !== undefined && { username: req.username }) };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    }
    return verdictOf(await res.json(), req);
  }

  async #acquire(signal: AbortSignal): Promise<void> {
    if (this.#inFlight < this.#config.maxConcurrent) {
      this.#inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const ready = (): void => {
        signal.removeEventListener('abort', abandon);
        this.#inFlight++;
        resolve();
      };
      const abandon = (): void => {
        const i = this.#waiting.indexOf(ready);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(new Error('aborted while queued'));
      };
      signal.addEventListener('abort', abandon, { once: true });
      this.#waiting.push(ready);
    });
  }

  #release(): void {
    this.#inFlight--;
    this.#waiting.shift()?.();
  }
}

/** Reads a 200 answer; a malformed one is an error of the service. */
function verdictOf(json: unknown, req: AuthRequest): AuthVerdict {
  if (typeof json !== 'object' || json === null) throw new Error('answer is not a JSON object');
  const { result, is_superuser: superuser, acl, expire_at: expireAt } = json as Record<string, unknown>;
  if (result === 'ignore') return IGNORE;
  if (result === 'deny') return { result: 'deny', reason: 'bad_credentials', detail: 'http: denied' };
  if (result !== 'allow') throw new Error('answer has no result of allow, deny or ignore');
  const rules = acl === undefined ? undefined : parseAclGrant(acl);
  if (typeof rules === 'string') throw new Error(rules);
  if (expireAt !== undefined && (typeof expireAt !== 'number' || !Number.isFinite(expireAt)))
    throw new Error('expire_at must be seconds since the epoch');
  return {
    result: 'allow',
    ...(req.username !== undefined && { username: req.username }),
    ...(superuser === true && { superuser: true }),
    ...(rules && { acl: rules }),
    ...(typeof expireAt === 'number' && { expiresAt: expireAt * 1000 }),
  };
}
