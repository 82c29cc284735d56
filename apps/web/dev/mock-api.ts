import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockAlarmsAndRules } from './mock-alarms-rules.js';
import { ADMIN_ROUTE, mockAdmin } from './mock-admin.js';
import { mockDistricts } from './mock-districts.js';
import { isExplorerRequest, mockExplorer } from './mock-explorer.js';
import { mockFleetAndBroker } from './mock-fleet-broker.js';
import { json } from './mock-http.js';
import { MOCK_POINTS, describePoint, sampleAt } from './mock-plant.js';
import { mockSinks } from './mock-sinks.js';

/**
 * An HTTP server that answers like the server's console API — points, series, the live
 * SSE stream and /healthz — from the fake plant in mock-plant.ts. Used by the dev command and
 * by the console's browser test. Not part of the product build.
 */
export interface MockApi {
  readonly url: string;
  readonly port: number;
  /** Number of open live streams. */
  readonly subscribers: number;
  /** Stops listening and drops every connection, live streams included, as a crashed server would. */
  close(): Promise<void>;
}

export interface MockApiOptions {
  port?: number;
  host?: string;
  tickMs?: number;
}

export async function startMockApi(opts: MockApiOptions = {}): Promise<MockApi> {
  const tickMs = opts.tickMs ?? 1000;
  const host = opts.host ?? '127.0.0.1';
  const started = Date.now();
  const clients = new Set<ServerResponse>();
  const tickOf = (t: number): number => Math.floor(t / tickMs) * tickMs;

  const consoleMocks = mockAlarmsAndRules();
  const fleetAndBroker = mockFleetAndBroker();
  const districts = mockDistricts();
  const explorer = mockExplorer();
  const admin = mockAdmin();
  const sinks = mockSinks();
  const server = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    // The explorer's tiered history and the users/keys/audit pages have mocks of their own;
    // the user is an installation admin there, so every page can be tried.
    if (isExplorerRequest(url)) return explorer(req, res, url);
    if (ADMIN_ROUTE.test(path)) return admin(req, res, url);
    if (/^\/api\/v1\/sinks?(-types)?(\/|$)/.test(path)) return sinks(req, res, url);
    // Always logged in: the login pages are tested against the real server (test/e2e).
    if (path === '/api/v1/auth/me') {
      return json(res, 200, {
        kind: 'user',
        user: { id: 'mock', name: 'operator', role: 'operator', project: '*' },
        mustChangePassword: false,
      });
    }
    if (path === '/api/v1/auth/logout') return json(res, 200, { loggedOut: false });
    // Alarms and rules: their own state, changed by the console's actions (see mockAlarmsAndRules).
    if (/^\/api\/v1\/(alarms|alarm-rules|rules)(\/|$)/.test(path)) return consoleMocks(req, res, url);
    if (/^\/api\/v1\/(gateways|broker|configs)(\/|$)/.test(path)) return fleetAndBroker(req, res, url);
    if (/^\/api\/v1\/analytics(\/|$)/.test(path)) return districts(req, res, url);
    if (req.method !== 'GET') return json(res, 405, { code: 'WS_ERR_METHOD', message: 'only GET here' });

    if (path === '/api/v1/points') {
      const now = tickOf(Date.now());
      return json(res, 200, {
        items: MOCK_POINTS.map((p) => ({ ...describePoint(p), latest: sampleAt(p, now) })),
      });
    }

    const series = /^\/api\/v1\/points\/([^/]+)\/series$/.exec(path);
    if (series !== null) {
      const id = decodeURIComponent(series[1] ?? '');
      const p = MOCK_POINTS.find((m) => m.id === id);
      if (p === undefined)
        return json(res, 404, { code: 'WS_ERR_POINT_NOT_FOUND', message: `no point ${id}` });
      const to = Number(url.searchParams.get('to') ?? Date.now());
      const from = Number(url.searchParams.get('from') ?? to - 3_600_000);
      const maxPoints = Math.min(10_000, Number(url.searchParams.get('maxPoints') ?? 1000));
      const end = Math.min(to, Date.now());
      // Like the real server with bucket=auto: raw samples up to 2 h, rollups beyond.
      if (url.searchParams.get('bucket') === 'auto' && to - from > 2 * 3_600_000) {
        const width = Math.max(60_000, Math.ceil((to - from) / maxPoints / 60_000) * 60_000);
        const rollups = [];
        for (let t = Math.floor(from / width) * width; t <= end; t += width)
          rollups.push(rollupAt(p, t, width));
        return json(res, 200, { point: id, from, to, bucket: '1m', rollups });
      }
      // Evenly spaced, never more than maxPoints.
      const step = Math.max(tickMs, Math.ceil((to - from) / maxPoints / tickMs) * tickMs);
      const samples = [];
      for (let t = Math.ceil(from / step) * step; t <= end; t += step) samples.push(sampleAt(p, t));
      return json(res, 200, { point: id, from, to, bucket: 'raw', samples });
    }

    if (path === '/api/v1/live') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 2000\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }

    if (path === '/healthz') {
      const upMin = (Date.now() - started) / 60_000;
      // The sink flaps every other minute so the health panel has something to show.
      const sinkOk = Math.floor(upMin) % 2 === 0;
      const components = {
        broker: { ok: true, detail: `${clients.size} live subscribers` },
        store: { ok: true, detail: 'embedded (SQLite)' },
        'edge:north.plc1': { ok: true },
        'edge:north.ana1': { ok: true, detail: 'turbidity link flaky' },
        'sink:postgres': sinkOk
          ? { ok: true }
          : { ok: false, detail: 'WS_ERR_SINK_RETRY: connection refused, retrying in 8 s' },
      };
      const ok = Object.values(components).every((c) => c.ok);
      return json(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', components });
    }

    json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no route ${path}` });
  }

  const ticker = setInterval(() => {
    if (clients.size === 0) return;
    const t = tickOf(Date.now());
    const batch = MOCK_POINTS.map((p) => ({ point: p.id, ...sampleAt(p, t) }));
    const frame = `event: samples\ndata: ${JSON.stringify(batch)}\n\n`;
    for (const c of clients) c.write(frame);
  }, tickMs);

  server.listen(opts.port ?? 0, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    clearInterval(ticker);
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    get subscribers() {
      return clients.size;
    },
    async close() {
      clearInterval(ticker);
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      clients.clear();
      await closed;
    },
  };
}

/** A rollup bucket from a few samples across it: enough to look like the server's. */
function rollupAt(p: (typeof MOCK_POINTS)[number], start: number, width: number) {
  const samples = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => sampleAt(p, start + Math.floor(width * f)));
  const nums = samples.flatMap((s) =>
    s.quality === 'bad'
      ? []
      : typeof s.value === 'number'
        ? [s.value]
        : typeof s.value === 'boolean'
          ? [s.value ? 1 : 0]
          : [],
  );
  const last = samples[samples.length - 1] ?? sampleAt(p, start);
  return {
    ts: start,
    width,
    count: samples.length,
    bad: samples.filter((s) => s.quality === 'bad').length,
    numeric: nums.length,
    min: nums.length > 0 ? Math.min(...nums) : null,
    max: nums.length > 0 ? Math.max(...nums) : null,
    avg: nums.length > 0 ? nums.reduce((a, b) => a + b, 0) / nums.length : null,
    last: last.value,
    lastTs: last.ts,
    lastQuality: last.quality,
  };
}
