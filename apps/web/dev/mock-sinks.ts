import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, readBody } from './mock-http.js';

/**
 * The sinks routes (console-api sinks/) over in-memory state: a webhook from the config file,
 * a historian on InfluxDB that is down and queueing on disk, and a disabled PostgreSQL sink.
 * Counters grow with the clock so the page's rates and sparklines move. Secrets are masked as
 * the server masks them; a config whose url is not http(s) is refused by path like the server.
 */
export function mockSinks(): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const t0 = Date.now();
  type Mock = {
    id: string;
    type: string;
    origin: 'file' | 'api';
    project?: string;
    enabled: boolean;
    revision?: number;
    config: Record<string, unknown>;
    /** Rows per second in, and the share sent (the rest queues). */
    rate: number;
    sent: number;
    lastError?: string;
    rules: string[];
  };
  const sinks = new Map<string, Mock>(
    [
      {
        id: 'scada-hook',
        type: 'http',
        origin: 'file' as const,
        enabled: true,
        config: { url: 'https://scada.example/hook', headers: { Authorization: '******' } },
        rate: 12,
        sent: 1,
        rules: ['pump-trips'],
      },
      {
        id: 'historian',
        type: 'influx-line',
        origin: 'api' as const,
        project: 'city',
        enabled: true,
        revision: 3,
        config: { url: 'http://10.0.0.9:8086', org: 'city', bucket: 'scada', token: '******' },
        rate: 40,
        sent: 0,
        lastError: 'connect ECONNREFUSED 10.0.0.9:8086',
        rules: ['flows-1m', 'levels-1m'],
      },
      {
        id: 'warehouse',
        type: 'postgres',
        origin: 'api' as const,
        project: 'city',
        enabled: false,
        revision: 1,
        config: { connectionString: 'postgresql://ws:******@dw:5432/ws', schema: 'watershed' },
        rate: 0,
        sent: 0,
        rules: [],
      },
    ].map((s) => [s.id, s as Mock]),
  );

  const view = (s: Mock) => {
    const secs = s.enabled ? (Date.now() - t0) / 1000 : 0;
    const matched = Math.round(s.rate * secs) + 1000;
    const success = Math.round(matched * s.sent);
    const queued = matched - success;
    const down = s.enabled && s.sent < 1;
    return {
      id: s.id,
      type: s.type,
      origin: s.origin,
      ...(s.project && { project: s.project }),
      enabled: s.enabled,
      ...(s.revision && { revision: s.revision }),
      config: s.config,
      health: {
        state: !s.enabled ? 'down' : down ? 'down' : 'up',
        ...(!s.enabled ? { detail: 'disabled' } : {}),
        alarm: false,
        failures: down ? 7 : 0,
        ...(s.lastError && { lastError: s.lastError }),
      },
      metrics: {
        matched,
        success,
        failed: 0,
        dropped: 0,
        queued,
        inflight: 0,
        queuedMemory: Math.min(queued, 10_000),
        queuedDisk: Math.max(0, queued - 10_000),
        diskBytes: Math.max(0, queued - 10_000) * 120,
        recovered: 0,
        retries: down ? 7 : 0,
        batches: Math.ceil(success / 500),
      },
      rules: s.rules,
    };
  };

  const invalid = (config: Record<string, unknown>) => {
    const url = config['url'];
    if (url === undefined || (typeof url === 'string' && /^https?:\/\//.test(url))) return undefined;
    return {
      code: 'WS_ERR_SINK_INVALID',
      message: 'sink cannot run: /url: string matching ^https?://',
      problems: [{ path: '/url', message: 'string matching ^https?://' }],
    };
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    if (path === '/api/v1/sinks' && req.method === 'GET')
      return json(res, 200, { items: [...sinks.values()].map(view) });
    if (path === '/api/v1/sinks/test' && req.method === 'POST') {
      const body = (await readBody(req)) as { config?: Record<string, unknown> };
      const bad = invalid(body.config ?? {});
      if (bad) return json(res, 400, bad);
      return json(res, 200, { ok: true, ms: 12, detail: 'connected' });
    }
    if (path === '/api/v1/sinks' && req.method === 'POST') {
      const body = (await readBody(req)) as {
        id: string;
        type: string;
        enabled?: boolean;
        config: Record<string, unknown>;
      };
      if (sinks.has(body.id))
        return json(res, 409, {
          code: 'WS_ERR_SINK_EXISTS',
          message: `a sink with id "${body.id}" already exists`,
        });
      const bad = invalid(body.config);
      if (bad) return json(res, 400, bad);
      const s: Mock = {
        id: body.id,
        type: body.type,
        origin: 'api',
        project: 'city',
        enabled: body.enabled ?? true,
        revision: 1,
        config: body.config,
        rate: 5,
        sent: 1,
        rules: [],
      };
      sinks.set(s.id, s);
      return json(res, 201, view(s));
    }
    const m = /^\/api\/v1\/sinks\/([^/]+)(?:\/(enable|disable|test))?$/.exec(path);
    const s = m ? sinks.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !s) return json(res, 404, { code: 'WS_ERR_SINK_NOT_FOUND', message: 'sink not found' });
    const verb = m[2];
    if (verb === 'test') {
      return json(
        res,
        200,
        s.lastError ? { ok: false, ms: 5000, detail: s.lastError } : { ok: true, ms: 8, detail: 'connected' },
      );
    }
    if (req.method === 'GET' && !verb) return json(res, 200, view(s));
    if (s.origin === 'file')
      return json(res, 409, {
        code: 'WS_ERR_SINK_FROM_FILE',
        message: `sink "${s.id}" comes from the server's config file (sinks:) and cannot be changed through the API`,
      });
    if (verb) {
      s.enabled = verb === 'enable';
      s.revision = (s.revision ?? 0) + 1;
      return json(res, 200, view(s));
    }
    if (req.method === 'DELETE') {
      sinks.delete(s.id);
      return json(res, 200, { discarded: 0 });
    }
    if (req.method === 'PUT') {
      const body = (await readBody(req)) as { config: Record<string, unknown> };
      const bad = invalid(body.config);
      if (bad) return json(res, 400, bad);
      s.config = body.config;
      s.revision = (s.revision ?? 0) + 1;
      if (typeof body.config['url'] === 'string' && !body.config['url'].includes('10.0.0.9')) {
        s.sent = 1;
        delete s.lastError;
      }
      return json(res, 200, view(s));
    }
    return json(res, 405, { code: 'WS_ERR_METHOD', message: 'not here' });
  };

  return (req, res, url) => {
    answer(req, res, url).catch((err: unknown) =>
      json(res, 500, { code: 'WS_ERR_INTERNAL', message: String(err) }),
    );
  };
}
