import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SinkRow } from '@watershed/sink-core';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the receiver answers: a status (and headers), or 'hang' to never answer. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver for tests: a real node:http server on 127.0.0.1 that records requests,
 * parses JSON-array bodies into rows, answers from a script (default 204; 422 for a batch with
 * a row marked `reject: true`), and can be stopped
 * and started again on the same port, as the fault tests need.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly rows: SinkRow[] = [];
  readonly #script: Answer[] = [];
  readonly #server = http.createServer((req, res) => this.#handle(req, res));
  readonly #hanging = new Set<http.ServerResponse>();
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening; requests being handled finish, idle keep-alive connections are closed. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    this.#server.closeIdleConnections();
    await closed;
  }

  /** The next answers, in order; after them, 204. */
  answer(...answers: Answer[]): void {
    this.#script.push(...answers);
  }

  received(): Promise<SinkRow[]> {
    return Promise.resolve([...this.rows]);
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      // A row marked `reject: true` makes the request a client error, as a strict endpoint would.
      const reject = body.includes('"reject":true');
      const answer = reject ? { status: 422 } : (this.#script.shift() ?? { status: 204 });
      if (answer === 'hang') {
        this.#hanging.add(res);
        return;
      }
      if (answer.status >= 200 && answer.status < 300 && body.startsWith('[')) {
        this.rows.push(...(JSON.parse(body) as SinkRow[]));
      }
      res.writeHead(answer.status, answer.headers).end(answer.status >= 400 ? `status ${answer.status}` : '');
    });
  }
}
