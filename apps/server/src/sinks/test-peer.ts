import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook peer for the sink tests: a real node:http server on 127.0.0.1:0 that keeps the rows
 * of every JSON-array body it accepts and the headers they came with. `stop()` closes it; a
 * stopped peer's port refuses connections, which is how a peer that is down looks.
 */
export class WebhookPeer {
  readonly rows: Record<string, unknown>[] = [];
  readonly headers: http.IncomingHttpHeaders[] = [];
  readonly #server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      this.headers.push(req.headers);
      this.rows.push(...(JSON.parse(body) as Record<string, unknown>[]));
      res.writeHead(204).end();
    });
  });
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
    return this;
  }

  async stop(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
