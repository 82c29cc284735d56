import type { Clock } from '@watershed/common';
import {
  HttpOrigin,
  parseRetryAfter,
  SinkPermanentError,
  SinkRetryAfterError,
  type SinkDeps,
  type SinkRow,
  type SinkTransport,
} from '@watershed/sink-core';
import type { InfluxLineSinkConfig } from './config.js';
import { InfluxSinkErrors } from './errors.js';
import { toLine, type LineMapping } from './line-protocol.js';

/**
 * Writes one batch as one line-protocol request (v2 `/api/v2/write`, v1 `/write`).
 * InfluxDB answers 204 when every line was written. 400 (a line it cannot parse), 413 (too
 * large) and 422 (a field type conflict, outside retention) are permanent for that batch.
 * 401/403/404 are retried: a wrong token or a missing bucket is fixed by an operator, and the
 * rows should still be there when it is. 429/503 honour Retry-After; other 5xx and network
 * errors retry.
 */
export class InfluxLineTransport implements SinkTransport {
  readonly #endpoint: URL;
  readonly #mapping: LineMapping;
  readonly #headers: Record<string, string>;
  readonly #clock: Clock;
  readonly #origin: HttpOrigin;

  constructor(config: InfluxLineSinkConfig, deps: SinkDeps) {
    const base = config.url.endsWith('/') ? config.url : `${config.url}/`;
    this.#endpoint = new URL(config.api === 'v2' ? 'api/v2/write' : 'write', base);
    const q = this.#endpoint.searchParams;
    if (config.api === 'v2') {
      if (config.org !== undefined) q.set('org', config.org);
      if (config.bucket !== undefined) q.set('bucket', config.bucket);
    } else {
      if (config.db !== undefined) q.set('db', config.db);
      if (config.rp !== undefined) q.set('rp', config.rp);
    }
    // v1 spells precision with its own names (n, u, ms, s); v2 uses ns, us, ms, s.
    const v1Precision = { ns: 'n', us: 'u', ms: 'ms', s: 's' } as const;
    q.set('precision', config.api === 'v2' ? config.precision : v1Precision[config.precision]);
    this.#headers = { 'content-type': 'text/plain; charset=utf-8' };
    if (config.token !== undefined) this.#headers['authorization'] = `Token ${config.token}`;
    else if (config.username !== undefined) {
      const basic = Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64');
      this.#headers['authorization'] = `Basic ${basic}`;
    }
    this.#mapping = {
      measurement: config.measurement,
      tags: config.tags,
      timeField: config.timeField,
      precision: config.precision,
      ...(config.measurementField !== undefined ? { measurementField: config.measurementField } : {}),
      ...(config.fields !== undefined ? { fields: config.fields } : {}),
    };
    this.#clock = deps.clock;
    this.#origin = new HttpOrigin(this.#endpoint, {
      timeoutMs: config.timeoutMs,
      clock: deps.clock,
      timeoutError: () => InfluxSinkErrors.TIMEOUT.create([this.#endpoint.pathname, config.timeoutMs]),
    });
  }

  /** The URL written to (with query), for logs and tests. */
  get endpoint(): string {
    return this.#endpoint.href;
  }

  async send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void> {
    let body: string;
    try {
      body = batch.map((r) => toLine(r, this.#mapping)).join('\n');
    } catch (err) {
      throw new SinkPermanentError((err as Error).message, { cause: err });
    }
    const { status, text, retryAfter } = await this.#origin.request({
      method: 'POST',
      headers: this.#headers,
      body: Buffer.from(body),
      signal,
    });
    if (status >= 200 && status < 300) return;
    const err = InfluxSinkErrors.STATUS.create([this.#endpoint.pathname, status, text || '(empty)'], {
      status,
    });
    if (status === 400 || status === 413 || status === 422)
      throw new SinkPermanentError(err.message, { cause: err });
    // Delay-seconds or an HTTP-date, as InfluxDB Cloud and proxies in front of it send either.
    const waitMs = parseRetryAfter(retryAfter, this.#clock.now());
    if (waitMs !== undefined) throw new SinkRetryAfterError(err.message, waitMs, { cause: err });
    throw err;
  }

  close(): Promise<void> {
    this.#origin.close();
    return Promise.resolve();
  }
}
