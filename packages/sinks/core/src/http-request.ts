import http from 'node:http';
import https from 'node:https';
import type { Clock } from '@watershed/common';

/** What an HTTP sink needs from an answer: its status, the start of its body, two headers. */
export interface HttpAnswer {
  readonly status: number;
  /** The first `HTTP_ERROR_BODY_CHARS` characters of the body, trimmed, for error messages. */
  readonly text: string;
  readonly retryAfter: string | undefined;
  readonly location: string | undefined;
}

export interface HttpRequestOptions {
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  signal: AbortSignal;
}

/** How much of an answer's body is kept for the log and the health detail. */
export const HTTP_ERROR_BODY_CHARS = 300;

/**
 * One keep-alive HTTP(S) connection to one origin, for the sinks that post batches (webhook,
 * Influx line protocol). One socket, because a sink has one batch in flight and the order of
 * batches is the order of rows. The timeout runs on the injected Clock so tests drive it; an
 * abort (the sink closing) ends the request at once.
 */
export class HttpOrigin {
  readonly #url: URL;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #timeoutError: () => Error;
  readonly #agent: http.Agent;

  constructor(url: URL, opts: { timeoutMs: number; clock: Clock; timeoutError: () => Error }) {
    this.#url = url;
    this.#timeoutMs = opts.timeoutMs;
    this.#clock = opts.clock;
    this.#timeoutError = opts.timeoutError;
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  request({ method, headers, body, signal }: HttpRequestOptions): Promise<HttpAnswer> {
    const client = this.#url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, value?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        this.#clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(value!);
      };
      const req = client.request(this.#url, {
        method,
        headers: { ...headers, 'content-length': String(body.length) },
        agent: this.#agent,
      });
      const timer = this.#clock.setTimeout(() => {
        const err = this.#timeoutError();
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
          if (text.length < HTTP_ERROR_BODY_CHARS)
            text += chunk.slice(0, HTTP_ERROR_BODY_CHARS - text.length);
        });
        res.on('error', (err) => finish(err));
        res.on('end', () => {
          finish(undefined, {
            status: res.statusCode ?? 0,
            text: text.trim(),
            retryAfter: res.headers['retry-after'],
            location: res.headers.location,
          });
        });
      });
      req.end(body);
    });
  }

  /** Destroys the kept-alive socket. */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
