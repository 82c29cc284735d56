import http from 'node:http';
import https from 'node:https';
import type { Clock, Logger } from '@watershed/common';
import {
  SinkPermanentError,
  SinkRetryAfterError,
  type SinkDeps,
  type SinkRow,
  type SinkTransport,
} from '@watershed/sink-core';
import type { HttpSinkConfig } from './config.js';
import { HttpSinkErrors } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import { compileTemplate, type Template } from './template.js';

interface Answer {
  readonly status: number;
  /** The start of the answer's body, for error messages. */
  readonly text: string;
  readonly retryAfter: { value?: string; location?: string };
}

/** How much of an error answer is kept for the log and the health detail. */
const ERROR_BODY_CHARS = 300;

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
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  // Keep-alive connections owned by this sink, destroyed on close.
  readonly #agent: http.Agent;

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
    this.#timeoutMs = config.timeoutMs;
    this.#clock = deps.clock;
    this.#log = deps.logger;
    const Agent = this.#url.protocol === 'https:' ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1 });
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
    headers['content-length'] = String(body.length);
    if (this.#contentType) headers['content-type'] = this.#contentType;
    const { status, text, retryAfter } = await this.#request(headers, body, signal);
    if (status >= 200 && status < 300) return;
    const what = [this.#method, this.#url.href] as const;
    if (status >= 300 && status < 400) {
      throw new SinkPermanentError(
        HttpSinkErrors.REDIRECT.create([...what, status, retryAfter.location ?? '?']).message,
      );
    }
    const err = HttpSinkErrors.STATUS.create([...what, status, text || '(empty)'], { status });
    if (status === 408 || status === 429 || status >= 500) {
      const waitMs = parseRetryAfter(retryAfter.value, this.#clock.now());
      if (waitMs !== undefined) throw new SinkRetryAfterError(err.message, waitMs, { cause: err });
      throw err;
    }
    throw new SinkPermanentError(err.message, { cause: err });
  }

  close(): Promise<void> {
    this.#agent.destroy();
    return Promise.resolve();
  }

  #request(headers: Record<string, string>, body: Buffer, signal: AbortSignal): Promise<Answer> {
    const client = this.#url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, value?: Answer): void => {
        if (settled) return;
        settled = true;
        this.#clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value!);
      };
      const req = client.request(this.#url, { method: this.#method, headers, agent: this.#agent });
      const timer = this.#clock.setTimeout(() => {
        const err = HttpSinkErrors.TIMEOUT.create([this.#method, this.#url.href, this.#timeoutMs]);
        req.destroy(err);
        finish(err);
      }, this.#timeoutMs);
      const onAbort = (): void => {
        req.destroy(signal.reason as Error);
        finish(signal.reason as Error);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => finish(err));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        // Read the whole answer so the keep-alive connection can be reused; keep only its start.
        res.on('data', (chunk: string) => {
          if (text.length < ERROR_BODY_CHARS) text += chunk.slice(0, ERROR_BODY_CHARS - text.length);
        });
        res.on('error', (err) => finish(err));
        res.on('end', () => {
          const retryAfter: { value?: string; location?: string } = {};
          if (res.headers['retry-after'] !== undefined) retryAfter.value = res.headers['retry-after'];
          if (res.headers.location !== undefined) retryAfter.location = res.headers.location;
          finish(undefined, { status: res.statusCode ?? 0, text: text.trim(), retryAfter });
        });
      });
      req.end(body);
      this.#log.trace({ rows: body.length }, 'webhook request sent');
    });
  }
}
