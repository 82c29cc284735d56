import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isWatershedError, type Logger } from '@watershed/common';
import { GroundTruthHttpErrors as E } from './errors.js';
import type { GroundTruthLog } from './ground-truth-log.js';

export interface GroundTruthServerOptions {
  log: GroundTruthLog;
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  logger: Logger;
}

/**
 * The ground truth over HTTP, so analytics and data-quality checks can be scored while the
 * simulator runs (read-only JSON, GET only):
 *
 *   GET /ground-truth/events?type=leak&from=…&to=…     injected events (records of the file)
 *   GET /ground-truth/leaks?district=Net3&from=…&to=…  true leak outflow series, m³/h
 *
 * `from`/`to` bound the wall-clock time (the time base of stored samples), as ISO 8601 or epoch
 * ms, both inclusive. Errors are `{ error: { code, message } }` with the catalog's status.
 */
export class GroundTruthServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly host: string;
  readonly port: number;

  private constructor(server: Server, host: string, port: number) {
    this.#server = server;
    this.host = host;
    this.port = port;
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
  }

  static async start(opts: GroundTruthServerOptions): Promise<GroundTruthServer> {
    const server = createServer((req, res) => handle(opts, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    opts.logger.info({ port }, 'ground-truth endpoint started');
    return new GroundTruthServer(server, opts.host, port);
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Stops listening and ends open keep-alive connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}

function handle(opts: GroundTruthServerOptions, req: IncomingMessage, res: ServerResponse): void {
  try {
    const url = new URL(req.url ?? '/', 'http://ground-truth');
    if (req.method !== 'GET') throw E.NOT_FOUND.create([req.method ?? '', url.pathname]);
    const q = url.searchParams;
    const bounds = { ...time(q, 'from'), ...time(q, 'to') };
    switch (url.pathname) {
      case '/ground-truth/events': {
        const type = q.get('type');
        send(res, 200, opts.log.events({ ...bounds, ...(type ? { type } : {}) }));
        return;
      }
      case '/ground-truth/leaks': {
        const district = q.get('district');
        if (!district) throw E.BAD_QUERY.create(['district', `required; one of ${known(opts.log)}`]);
        const points = opts.log.leaks({ district, ...bounds });
        if (!points) throw E.UNKNOWN_DISTRICT.create([district, known(opts.log)]);
        send(res, 200, { district, unit: 'm3/h', points });
        return;
      }
      default:
        throw E.NOT_FOUND.create([req.method ?? '', url.pathname]);
    }
  } catch (err) {
    if (isWatershedError(err)) {
      send(res, err.status, { error: err.toJSON() });
      return;
    }
    opts.logger.error({ err }, 'ground-truth request failed');
    send(res, 500, { error: { code: 'WS_ERR_INTERNAL', message: 'internal error' } });
  }
}

/** A time bound as ISO 8601 or epoch ms. */
function time(q: URLSearchParams, name: 'from' | 'to'): { from?: number } | { to?: number } {
  const text = q.get(name);
  if (text === null || text === '') return {};
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw E.BAD_QUERY.create([name, `"${text}" is neither ISO 8601 nor epoch ms`]);
  return { [name]: ms };
}

function known(log: GroundTruthLog): string {
  return log.districts().join(', ') || 'none yet';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
