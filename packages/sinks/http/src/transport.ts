import type { Clock, Logger } from '@watershed/common';
import {
  HttpOrigin,
  parseRetryAfter,
  SinkPermanentError,
  SinkRetryAfterError,
  type SinkDeps,
  type SinkRow,
  type SinkTransport,
} from '@watershed/sink-core';
import type { HttpSinkConfig } from './config.js';
import { HttpSinkErrors } from './errors.js';
import { compileTemplate, type Template } from './template.js';

/**
 * Sends one batch as one HTTP request. Classification (RFC 9110 §15):
 * 2xx delivered; 408, 429 and 5xx, timeouts and connection errors retried (honouring
 * Retry-After); 3xx and the other 4xx rejected for good (SinkPermanentError), since sending the
 * same request again cannot change the answer.
 */
export class HttpTransport implements SinkTransport {
  readonly #url: URL;
  readonly #method: string;
  readonly #headers: readonly (readonly [string, Template])[];
  readonly #body: Template | undefined;
  readonly #separator: string;
  readonly #contentType: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #origin: HttpOrigin;

  constructor(config: HttpSinkConfig, deps: SinkDeps) {
    this.#url = new URL(config.url);
    this.#method = config.method;
    this.#headers = Object.entries(config.headers).map(([k, v]) => [k, compileTemplate(v)] as const);
    this.#body = config.body === undefined ? undefined : compileTemplate(config.body);
    this.#separator = config.separator;
    const explicit = Object.keys(config.headers).some((k) => k.toLowerCase() === 'content-type');
    this.#contentType = explicit
      ? ''
      : (config.contentType ?? (this.#body ? 'text/plain; charset=utf-8' : 'application/json'));
    this.#clock = deps.clock;
    this.#log = deps.logger;
    this.#origin = new HttpOrigin(this.#url, {
      timeoutMs: config.timeoutMs,
      clock: deps.clock,
      timeoutError: () => HttpSinkErrors.TIMEOUT.create([this.#method, this.#url.href, config.timeoutMs]),
    });
  }

  async send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void> {
    let body: Buffer;
    const headers: Record<string, string> = {};
    try {
      body = Buffer.from(
        this.#body ? batch.map((r) => this.#body!.render(r)).join(this.#separator) : JSON.stringify(batch),
      );
      for (const [k, t] of this.#headers) headers[k] = t.render(batch[0] ?? {});
    } catch (err) {
      // A row that cannot be rendered (a BigInt, a cycle) will not render next time either.
      throw new SinkPermanentError(`cannot render the request: ${(err as Error).message}`, { cause: err });
    }
    if (this.#contentType) headers['content-type'] = this.#contentType;
    const answer = await this.#origin.request({ method: this.#method, headers, body, signal });
    this.#log.trace({ bytes: body.length, status: answer.status }, 'webhook request answered');
    const { status, text } = answer;
    if (status >= 200 && status < 300) return;
    const what = [this.#method, this.#url.href] as const;
    if (status >= 300 && status < 400) {
      throw new SinkPermanentError(
        HttpSinkErrors.REDIRECT.create([...what, status, answer.location ?? '?']).message,
      );
    }
    const err = HttpSinkErrors.STATUS.create([...what, status, text || '(empty)'], { status });
    if (status === 408 || status === 429 || status >= 500) {
      const waitMs = parseRetryAfter(answer.retryAfter, this.#clock.now());
      if (waitMs !== undefined) throw new SinkRetryAfterError(err.message, waitMs, { cause: err });
      throw err;
    }
    throw new SinkPermanentError(err.message, { cause: err });
  }

  close(): Promise<void> {
    this.#origin.close();
    return Promise.resolve();
  }
}
