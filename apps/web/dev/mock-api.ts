import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MOCK_POINTS, describePoint, sampleAt } from './mock-plant.js';

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
  const server = createServer((req, res) => handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
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
    if (/^\/api\/v1\/(gateways|broker)(\/|$)/.test(path)) return fleetAndBroker(req, res, url);
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

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

type Severity = 'critical' | 'major' | 'minor' | 'warning';
interface MockAlarm {
  id: string;
  project: string;
  point: string;
  name: string;
  severity: Severity;
  message: string;
  active: boolean;
  acknowledged: boolean;
  raisedAt?: number;
  acknowledgedBy?: string;
  value?: number;
  changedAt: number;
  shelved?: { by: string; at: number; until: number; reason?: string };
  comments: { at: number; by: string; text: string }[];
  status: string;
}
interface MockRule {
  id: string;
  project: string;
  name: string;
  enabled: boolean;
  revision: number;
  createdAt: number;
  updatedAt: number;
  origin: 'api' | 'config';
  sql: string;
  actions: { type: string; [k: string]: unknown }[];
  description?: string;
  state: 'running' | 'stopped' | 'error';
  metrics: Record<string, number>;
}

/**
 * The alarms and rules routes (console-api alarms/ and rules/) over in-memory state: a few
 * alarms to acknowledge and shelve, a few rules to edit. The rule "validation" only knows that
 * SQL needs SELECT and FROM, enough to show problems with a position. Not the product.
 */
function mockAlarmsAndRules(): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const now = Date.now();
  const isa = (a: MockAlarm): string =>
    a.shelved && a.shelved.until > Date.now()
      ? 'shelved'
      : a.active
        ? a.acknowledged
          ? 'ack-active'
          : 'unack-active'
        : a.acknowledged
          ? 'normal'
          : 'unack-cleared';
  const alarm = (
    id: string,
    point: string,
    severity: Severity,
    name: string,
    limit: number,
    value: number,
    ago: number,
  ): MockAlarm => ({
    id,
    project: 'default',
    point,
    name,
    severity,
    message: `${name}: above ${limit}`,
    active: true,
    acknowledged: false,
    raisedAt: now - ago,
    value,
    changedAt: now - ago,
    comments: [],
    status: 'unack-active',
  });
  const alarms = new Map<string, MockAlarm>(
    [
      alarm(
        'north.p1.speed.high',
        'north.plc1.pumps.p1_speed',
        'critical',
        'Pump 1 overspeed',
        1450,
        1490,
        120_000,
      ),
      alarm(
        'north.p2.power.high',
        'north.plc1.pumps.p2_power',
        'major',
        'Pump 2 power high',
        40,
        42.5,
        900_000,
      ),
      alarm(
        'north.turbidity.high',
        'north.ana1.quality.turbidity',
        'minor',
        'Turbidity high',
        1,
        1.3,
        3_600_000,
      ),
      {
        ...alarm(
          'north.p1.run.stuck',
          'north.plc1.pumps.p1_run',
          'warning',
          'Pump 1 run signal stuck',
          0,
          1,
          7_200_000,
        ),
        active: false,
      },
    ].map((a) => [a.id, { ...a, status: isa(a) }]),
  );
  const limits = new Map(
    [...alarms.values()].map((a) => [a.id, Number(/above (.+)$/.exec(a.message)?.[1] ?? 0)]),
  );
  const history: {
    seq: number;
    alarm: string;
    project: string;
    point: string;
    kind: string;
    at: number;
    event: Record<string, unknown>;
  }[] = [];
  const record = (a: MockAlarm, kind: string, event: Record<string, unknown> = {}): void => {
    history.unshift({
      seq: history.length + 1,
      alarm: a.id,
      project: a.project,
      point: a.point,
      kind,
      at: Date.now(),
      event: { ...event, severity: a.severity, state: a.status },
    });
  };
  for (const a of alarms.values()) record(a, 'raised', { value: a.value });

  const metrics = (m: number) => ({
    matched: m,
    passed: Math.floor(m * 0.9),
    noResult: Math.ceil(m * 0.1),
    failed: 0,
    actionsFailed: 0,
    ratePerSecond: m > 0 ? 2.5 : 0,
  });
  const rules = new Map<string, MockRule>(
    [
      {
        id: 'high-flow',
        name: 'High flow to alerts',
        sql: 'SELECT payload.values.flow AS flow, clientid\nFROM "ws/v1/+/+/+/data"\nWHERE payload.values.flow > 100',
        actions: [{ type: 'republish', topic: 'alerts/${clientid}', qos: 1 }],
        enabled: true,
      },
      {
        id: 'archive',
        name: 'Archive all data',
        sql: 'SELECT *\nFROM "ws/v1/#"',
        actions: [{ type: 'sink', sink: 'store' }],
        enabled: false,
      },
    ].map((r, i) => [
      r.id,
      {
        ...r,
        project: 'default',
        revision: 1,
        createdAt: now,
        updatedAt: now,
        origin: 'api' as const,
        state: r.enabled ? ('running' as const) : ('stopped' as const),
        metrics: metrics(r.enabled ? 1200 * (i + 1) : 0),
      },
    ]),
  );
  const sqlProblems = (sql: string) => {
    const problems = [];
    if (!/^\s*SELECT\b/i.test(sql))
      problems.push({
        code: 'WS_ERR_RULE_SQL',
        message: 'a rule starts with SELECT',
        path: 'sql',
        line: 1,
        column: 1,
        expected: 'SELECT',
      });
    else if (!/\bFROM\b/i.test(sql)) {
      const lines = sql.split('\n');
      problems.push({
        code: 'WS_ERR_RULE_SQL',
        message: 'FROM is missing',
        path: 'sql',
        line: lines.length,
        column: (lines[lines.length - 1]?.length ?? 0) + 1,
        expected: 'FROM "topic/filter"',
      });
    }
    return problems;
  };
  const invalid = (res: ServerResponse, problems: unknown[]) =>
    json(res, 400, { code: 'WS_ERR_RULE_INVALID', message: 'rule cannot run', problems });

  return (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/v1/alarms/live') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 2000\n: connected\n\n');
      return;
    }
    if (method === 'GET' && path === '/api/v1/alarms') {
      const items = [...alarms.values()]
        .map((a) => ({ ...a, status: isa(a) }))
        .filter((a) => a.status !== 'normal');
      return json(res, 200, { items });
    }
    if (method === 'GET' && path === '/api/v1/alarms/history')
      return json(res, 200, { entries: history.slice(0, 100) });
    if (method === 'GET' && path === '/api/v1/alarm-rules') {
      return json(res, 200, {
        items: [...alarms.values()].map((a) => ({
          rule: { id: a.id, condition: { kind: 'high', limit: limits.get(a.id) ?? 0 } },
          revision: 1,
          createdAt: now,
          updatedAt: now,
        })),
      });
    }
    if (method === 'GET' && path === '/api/v1/rules') return json(res, 200, { items: [...rules.values()] });
    const oneRule = /^\/api\/v1\/rules\/([^/]+)$/.exec(path);
    if (method === 'GET' && oneRule) {
      const r = rules.get(decodeURIComponent(oneRule[1] ?? ''));
      return r
        ? json(res, 200, r)
        : json(res, 404, { code: 'WS_ERR_RULE_NOT_FOUND', message: 'rule not found' });
    }
    void readBody(req).then(
      (body) => {
        const act = /^\/api\/v1\/alarms\/([^/]+)\/(ack|shelve|unshelve|comments)$/.exec(path);
        if (method === 'POST' && act) {
          const a = alarms.get(decodeURIComponent(act[1] ?? ''));
          if (!a) return json(res, 404, { code: 'WS_ERR_ALARM_NOT_FOUND', message: 'alarm not found' });
          const b = body as { comment?: string; durationMs?: number; reason?: string; text?: string };
          const by = 'operator';
          if (act[2] === 'ack') {
            Object.assign(a, { acknowledged: true, acknowledgedBy: by });
            if (b.comment) a.comments.push({ at: Date.now(), by, text: b.comment });
            record(a, 'acknowledged', { by, comment: b.comment });
          } else if (act[2] === 'shelve') {
            a.shelved = {
              by,
              at: Date.now(),
              until: Date.now() + (b.durationMs ?? 3_600_000),
              ...(b.reason && { reason: b.reason }),
            };
            record(a, 'shelved', { by, until: a.shelved.until, comment: b.reason });
          } else if (act[2] === 'unshelve') {
            delete a.shelved;
            record(a, 'unshelved', { by });
          } else {
            a.comments.push({ at: Date.now(), by, text: b.text ?? '' });
            record(a, 'commented', { by, comment: b.text });
          }
          a.changedAt = Date.now();
          a.status = isa(a);
          return json(res, 200, a);
        }
        if (method === 'POST' && path === '/api/v1/rules/test') {
          const b = body as {
            sql?: string;
            actions?: { type: string }[];
            context?: { payload?: unknown; clientid?: string };
          };
          const errors = sqlProblems(b.sql ?? '');
          const rows =
            errors.length > 0
              ? []
              : [
                  {
                    flow:
                      (b.context?.payload as { values?: { flow?: unknown } } | undefined)?.values?.flow ??
                      null,
                    clientid: b.context?.clientid,
                  },
                ];
          return json(res, 200, {
            ok: errors.length === 0,
            matched: true,
            rows,
            errors,
            actions: (b.actions ?? []).map((a, index) => ({
              index,
              type: a.type,
              effects: rows.map((row) => ({ would: a.type, row })),
            })),
          });
        }
        const write = /^\/api\/v1\/rules(?:\/([^/]+?))?(?:\/(enable|disable))?$/.exec(path);
        if (write && (method === 'POST' || method === 'PUT')) {
          const b = body as Partial<MockRule>;
          const id = write[1] === undefined ? undefined : decodeURIComponent(write[1]);
          const prev = id === undefined ? undefined : rules.get(id);
          if (id !== undefined && !prev)
            return json(res, 404, { code: 'WS_ERR_RULE_NOT_FOUND', message: 'rule not found' });
          const expected = Number(String(req.headers['if-match'] ?? '').replaceAll('"', ''));
          if (prev && req.headers['if-match'] !== undefined && expected !== prev.revision)
            return json(res, 409, {
              code: 'WS_ERR_STORE_CONFLICT',
              message: `rule ${prev.id} is at revision ${prev.revision}`,
            });
          if (write[2] !== undefined && prev) {
            Object.assign(prev, {
              enabled: write[2] === 'enable',
              state: write[2] === 'enable' ? 'running' : 'stopped',
              revision: prev.revision + 1,
              updatedAt: Date.now(),
            });
            return json(res, 200, prev);
          }
          const problems = sqlProblems(b.sql ?? '');
          if (problems.length > 0) return invalid(res, problems);
          const next: MockRule = prev
            ? {
                ...prev,
                name: b.name ?? prev.name,
                sql: b.sql ?? prev.sql,
                actions: b.actions ?? [],
                revision: prev.revision + 1,
                updatedAt: Date.now(),
              }
            : {
                id: (b.name ?? 'rule').toLowerCase().replace(/[^a-z0-9]+/g, '-'),
                project: 'default',
                name: b.name ?? 'rule',
                enabled: true,
                revision: 1,
                createdAt: Date.now(),
                updatedAt: Date.now(),
                origin: 'api',
                sql: b.sql ?? '',
                actions: b.actions ?? [],
                state: 'running',
                metrics: metrics(0),
              };
          if (b.description !== undefined) next.description = b.description;
          else delete next.description;
          rules.set(next.id, next);
          return json(res, prev ? 200 : 201, next);
        }
        json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no route ${method} ${path}` });
      },
      () => json(res, 400, { code: 'WS_ERR_BODY', message: 'body is not JSON' }),
    );
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

/**
 * The fleet and broker routes (console-api fleet/ and broker/) over in-memory state: three
 * gateways (one online, one stale with a backlog and a device in backoff, one offline whose
 * latest push was refused), and a broker whose rates follow the clock.
 */
function mockFleetAndBroker(): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const t0 = Date.now();
  const dev = (state: string) => ({
    driver: 'modbus-tcp',
    state,
    since: t0 - 600_000,
    requests: 10,
    failures: 0,
    timeouts: 0,
    reconnects: 0,
  });
  const report = (version: number, rows: number, devices: Record<string, ReturnType<typeof dev>>) => ({
    v: 1,
    node: '',
    ts: t0,
    configVersion: version,
    uptimeS: 3600,
    devices,
    groups: {},
    buffer: { rows, bytes: rows * 180, ...(rows > 0 && { oldestTs: t0 - 420_000 }), dropped: 0 },
    uplink: { connected: rows === 0, published: 100, acked: 100, inflight: 0 },
  });
  const gw = (id: string, site: string, node: string, name: string) => ({
    id,
    project: 'city',
    site,
    node,
    name,
    createdAt: t0 - 86_400_000,
    credentialsIssuedAt: t0 - 86_400_000,
  });
  const gateways = new Map([
    [
      'g1',
      {
        ...gw('g1', 'north', 'gw-north-1', 'North pumping station'),
        online: true,
        stale: false,
        lastSeen: t0,
        running: 3,
        report: report(3, 0, { plc1: dev('connected'), flow1: dev('connected') }),
      },
    ],
    [
      'g2',
      {
        ...gw('g2', 'east', 'gw-east-1', 'East reservoir'),
        online: true,
        stale: true,
        lastSeen: t0 - 240_000,
        running: 2,
        report: report(2, 1342, { plc1: dev('connected'), level1: dev('backoff') }),
      },
    ],
    [
      'g3',
      {
        ...gw('g3', 'south', 'gw-south-1', 'South treatment works'),
        online: false,
        stale: false,
        lastSeen: t0 - 7_200_000,
        running: 1,
        report: undefined,
      },
    ],
  ]);
  const config = (port: number, extra?: object) => ({
    devices: { plc1: { host: '10.0.0.5', port, unitId: 1 }, ...extra },
  });
  const configs = new Map<
    string,
    {
      version: number;
      createdAt: number;
      author: string;
      ack?: { ok: boolean; detail?: string; at: number };
      config: unknown;
    }[]
  >([
    [
      'g1',
      [1, 2, 3].map((v) => ({
        version: v,
        createdAt: t0 - (4 - v) * 3_600_000,
        author: 'engineer',
        ack: { ok: true, at: t0 },
        config: config(500 + v, v > 2 ? { flow1: { host: '10.0.0.9' } } : undefined),
      })),
    ],
    [
      'g2',
      [1, 2].map((v) => ({
        version: v,
        createdAt: t0 - (3 - v) * 3_600_000,
        author: 'engineer',
        ...(v === 1 && { ack: { ok: true, at: t0 } }),
        config: config(502),
      })),
    ],
    [
      'g3',
      [1, 2].map((v) => ({
        version: v,
        createdAt: t0 - (3 - v) * 3_600_000,
        author: 'engineer',
        ack:
          v === 2
            ? { ok: false, detail: 'WS_ERR_CONFIG_INVALID: devices.plc9.host is missing', at: t0 }
            : { ok: true, at: t0 },
        config: config(502, v === 2 ? { plc9: {} } : undefined),
      })),
    ],
  ]);
  const flat = (v: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) flat(x, prefix === '' ? k : `${prefix}.${k}`, out);
    } else out.set(prefix, v);
    return out;
  };
  const bans = new Map<string, Record<string, unknown>>([
    [
      'b1',
      { id: 'b1', source: 'config', peer: '203.0.113.0/24', reason: 'known scanner', createdBy: 'config' },
    ],
  ]);
  let banSeq = 1;
  const clients = [
    {
      clientId: 'gw-north-1',
      username: 'gw-north-1',
      peer: '10.20.0.11:50122',
      listener: 'mqtts',
      protocolVersion: 5,
      connectedAt: t0 - 3_600_000,
      subscriptions: 3,
      inflight: 0,
      queued: 0,
    },
    {
      clientId: 'gw-east-1',
      username: 'gw-east-1',
      peer: '10.20.0.12:40133',
      listener: 'mqtts',
      protocolVersion: 5,
      connectedAt: t0 - 900_000,
      subscriptions: 3,
      inflight: 2,
      queued: 14,
    },
    {
      clientId: 'watershed-server',
      username: 'server',
      peer: '127.0.0.1:41000',
      listener: 'internal',
      protocolVersion: 5,
      connectedAt: t0 - 86_400_000,
      subscriptions: 6,
      inflight: 0,
      queued: 0,
    },
    {
      clientId: 'scada-bridge',
      peer: '10.30.1.4:1883',
      listener: 'plain',
      protocolVersion: 4,
      connectedAt: t0 - 60_000,
      subscriptions: 1,
      inflight: 0,
      queued: 0,
    },
  ];
  const rate = (ts: number) => ({
    ts,
    clients: clients.length + (Math.floor(ts / 60_000) % 3),
    messagesIn: 400 + 120 * Math.sin(ts / 30_000),
    messagesOut: 800 + 200 * Math.sin(ts / 30_000),
    dropped: ts % 47_000 < 2000 ? 3 : 0,
  });
  const page = <T>(items: T[]) => ({ total: items.length, offset: 0, limit: 200, items });
  const has = (q: string | null, ...xs: (string | undefined)[]) => !q || xs.some((x) => x?.includes(q));

  return (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const m = /^\/api\/v1\/gateways\/([^/]+)(?:\/(.*))?$/.exec(path);
    const g = m ? gateways.get(decodeURIComponent(m[1]!)) : undefined;
    const view = (x: NonNullable<typeof g>) => ({
      id: x.id,
      project: x.project,
      site: x.site,
      node: x.node,
      name: x.name,
      createdAt: x.createdAt,
      credentialsIssuedAt: x.credentialsIssuedAt,
    });
    const summary = (x: NonNullable<typeof g>) => ({
      online: x.online,
      stale: x.stale,
      lastSeen: x.lastSeen,
      configVersion: x.running,
    });
    const cfgs = (x: NonNullable<typeof g>) => configs.get(x.id) ?? [];
    const notFound = () =>
      json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no route ${method} ${path}` });

    if (method === 'GET' && path === '/api/v1/gateways')
      return json(res, 200, {
        items: [...gateways.values()].map((x) => ({ ...view(x), status: summary(x) })),
      });
    if (m && g === undefined)
      return json(res, 404, {
        code: 'WS_ERR_FLEET_GATEWAY_NOT_FOUND',
        message: `gateway "${m[1]}" not found`,
      });
    if (method === 'GET' && g && m?.[2] === undefined) {
      const last = cfgs(g).at(-1);
      return json(res, 200, {
        ...view(g),
        status: {
          ...summary(g),
          ...(g.report && { report: { ...g.report, node: g.node } }),
          ...(last?.ack && {
            lastAck: {
              v: 1,
              node: g.node,
              ts: last.ack.at,
              version: last.version,
              result: last.ack.ok ? 'applied' : 'rejected',
              running: g.running,
              ...(!last.ack.ok && { code: 'WS_ERR_CONFIG_INVALID' }),
            },
          }),
        },
      });
    }
    if (method === 'GET' && g && m?.[2] === 'configs')
      return json(res, 200, {
        items: cfgs(g).map(({ config: _c, ...c }) => ({
          node: g.node,
          checksum: `sha256:${c.version}`,
          ...c,
        })),
      });
    if (method === 'GET' && g && m?.[2] === 'configs/diff') {
      const a = cfgs(g).find((c) => c.version === Number(q.get('from')));
      const b = cfgs(g).find((c) => c.version === Number(q.get('to')));
      if (!a || !b)
        return json(res, 404, { code: 'WS_ERR_FLEET_VERSION_NOT_FOUND', message: 'no such version' });
      const fa = flat(a.config, '', new Map());
      const fb = flat(b.config, '', new Map());
      return json(res, 200, {
        from: a.version,
        to: b.version,
        added: [...fb].filter(([k]) => !fa.has(k)).map(([path, value]) => ({ path, value })),
        removed: [...fa].filter(([k]) => !fb.has(k)).map(([path, value]) => ({ path, value })),
        changed: [...fb]
          .filter(([k, v]) => fa.has(k) && fa.get(k) !== v)
          .map(([path, to]) => ({ path, from: fa.get(path), to })),
      });
    }
    if (method === 'GET' && g && m?.[2] === 'logs') {
      const lines =
        g.id === 'g2'
          ? [
              {
                ts: t0 - 300_000,
                level: 'warn',
                msg: 'device link lost',
                context: { device: 'level1', code: 'WS_ERR_MODBUS_TIMEOUT' },
              },
              {
                ts: t0 - 240_000,
                level: 'error',
                msg: 'uplink publish failed; buffering',
                context: { component: 'uplink' },
              },
            ]
          : [];
      return json(res, 200, { v: 1, node: g.node, ts: t0, lines, dropped: 0 });
    }
    if (method === 'GET' && path === '/api/v1/broker/stats') {
      const now = Math.floor(Date.now() / 1000) * 1000;
      const history = Array.from({ length: 900 }, (_, i) => rate(now - (899 - i) * 1000));
      return json(res, 200, {
        current: {
          clients: clients.length,
          subscriptions: 13,
          retained: 42,
          messagesIn: 1e6,
          messagesOut: 2e6,
          dropped: 12,
          bans: bans.size,
          rate: history.at(-1),
        },
        history,
      });
    }
    if (method === 'GET' && path === '/api/v1/broker/clients')
      return json(res, 200, page(clients.filter((c) => has(q.get('q'), c.clientId, c.username, c.peer))));
    if (method === 'GET' && path === '/api/v1/broker/subscriptions') {
      const subs = clients.flatMap((c) => [
        {
          clientId: c.clientId,
          filter: c.username === 'server' ? '$share/ingest/ws/v1/+/+/data/#' : `ws/v1/+/${c.clientId}/cmd/#`,
          ...(c.username === 'server' && { shareGroup: 'ingest' }),
          qos: 1,
          noLocal: false,
          retainAsPublished: false,
          online: true,
        },
      ]);
      return json(res, 200, page(subs.filter((s) => has(q.get('filter'), s.filter))));
    }
    if (method === 'GET' && path === '/api/v1/broker/retained')
      return json(
        res,
        200,
        page(
          [...gateways.values()].map((x) => ({
            topic: `ws/v1/${x.site}/${x.node}/mgmt/status`,
            qos: 1,
            size: 412,
            preview: `{"v":1,"node":"${x.node}","online":${x.online}}`,
            previewEncoding: 'utf8',
            truncated: false,
            clientId: x.node,
            receivedAt: x.lastSeen,
          })),
        ),
      );
    if (method === 'GET' && path === '/api/v1/broker/listeners')
      return json(res, 200, {
        items: [
          { name: 'mqtts', type: 'tls', host: '0.0.0.0', port: 8883, connections: 2 },
          { name: 'plain', type: 'tcp', host: '10.30.0.1', port: 1883, connections: 1 },
          { name: 'internal', type: 'tcp', host: '127.0.0.1', port: 1884, connections: 1 },
        ],
      });
    if (method === 'GET' && path === '/api/v1/broker/bans')
      return json(res, 200, { items: [...bans.values()] });
    const kick = /^\/api\/v1\/broker\/clients\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && kick) {
      const i = clients.findIndex((c) => c.clientId === decodeURIComponent(kick[1]!));
      if (i < 0)
        return json(res, 404, {
          code: 'WS_ERR_BROKER_CLIENT_NOT_FOUND',
          message: 'no connected MQTT client',
        });
      clients.splice(i, 1);
      res.writeHead(204).end();
      return;
    }
    const unban = /^\/api\/v1\/broker\/bans\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && unban) {
      if (bans.get(decodeURIComponent(unban[1]!))?.source !== 'operator')
        return json(res, 404, { code: 'WS_ERR_BROKER_BAN_NOT_FOUND', message: 'no operator ban' });
      bans.delete(decodeURIComponent(unban[1]!));
      res.writeHead(204).end();
      return;
    }
    if (method !== 'POST') return notFound();
    readBody(req).then(
      (raw) => {
        const body = raw as Record<string, unknown>;
        if (path === '/api/v1/gateways') {
          const id = `g${gateways.size + 1}`;
          const x = {
            ...gw(id, String(body.site), String(body.node), String(body.name)),
            online: false,
            stale: false,
            lastSeen: undefined as unknown as number,
            running: 0,
            report: undefined,
          };
          gateways.set(id, x);
          return json(res, 201, {
            gateway: view(x),
            mqtt: {
              username: x.node,
              password: `mock-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
            },
          });
        }
        if (g && m?.[2] === 'rollback') {
          const from = cfgs(g).find((c) => c.version === body.version);
          if (!from)
            return json(res, 404, { code: 'WS_ERR_FLEET_VERSION_NOT_FOUND', message: 'no such version' });
          const version = (cfgs(g).at(-1)?.version ?? 0) + 1;
          cfgs(g).push({
            version,
            createdAt: Date.now(),
            author: 'mock',
            ack: { ok: true, at: Date.now() },
            config: from.config,
          });
          g.running = version;
          return json(res, 200, {
            gatewayId: g.id,
            node: g.node,
            version,
            checksum: `sha256:${version}`,
            outcome: 'applied',
          });
        }
        const w = m?.[2] !== undefined ? /^tags\/([^/]+)\/write$/.exec(m[2]) : null;
        if (g && w) {
          const tag = decodeURIComponent(w[1]!);
          if (body.confirm !== true)
            return json(res, 400, { code: 'WS_ERR_FLEET_CONFIRM_REQUIRED', message: 'confirm' });
          if (typeof body.value === 'number' && (body.value < 0 || body.value > 100))
            return json(res, 400, {
              code: 'WS_ERR_FLEET_WRITE_LIMIT',
              message: `value ${body.value} is outside the limits of tag ${tag} [0, 100]`,
            });
          return json(res, 200, {
            v: 1,
            id: 'w1',
            point: `${g.site}.${g.node}.${tag}`,
            ok: true,
            ts: Date.now(),
            readBack: body.value,
          });
        }
        if (path === '/api/v1/broker/bans') {
          const id = `op${banSeq++}`;
          const { durationS, ...rest } = body;
          const ban = {
            id,
            source: 'operator',
            reason: '',
            ...rest,
            createdBy: 'mock',
            createdAt: Date.now(),
            ...(typeof durationS === 'number' && { until: Date.now() + durationS * 1000 }),
          };
          bans.set(id, ban);
          const kicked = clients
            .filter(
              (c) =>
                c.clientId === body.clientId || (body.username !== undefined && c.username === body.username),
            )
            .map((c) => c.clientId);
          return json(res, 201, { ban, kicked });
        }
        notFound();
      },
      () => json(res, 400, { code: 'WS_ERR_BODY', message: 'body is not JSON' }),
    );
  };
}
