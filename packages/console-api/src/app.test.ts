import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { buildConsoleApi } from './app.js';
import { authInject, bearerFor } from './auth/testing.js';
import type { LiveFeed } from './routes/live.js';

const NOW = 1_764_273_600_000; // 2025-11-27T20:00:00Z

const noLive: LiveFeed = { subscribe: () => () => undefined };

function good(point: string, ts: number, value: SampleRow['value']): SampleRow {
  return { point, ts, value, quality: 'good' };
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe('console API', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let inject: ReturnType<typeof authInject>;
  const clock = new FakeClock(NOW);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-'));
    store = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await store.upsertPoints([
      {
        id: 'north.plant1.fast.flow',
        site: 'north',
        node: 'plant1',
        group: 'fast',
        tag: 'flow',
        unit: 'm3/h',
      },
      { id: 'north.plant1.fast.run', site: 'north', node: 'plant1', group: 'fast', tag: 'run' },
      { id: 'south.res1.slow.level', site: 'south', node: 'res1', group: 'slow', tag: 'level' },
    ]);
    await store.writeSamples([
      good('north.plant1.fast.flow', NOW - 7_200_000, 10),
      good('north.plant1.fast.flow', NOW - 1_800_000, 11.5),
      good('north.plant1.fast.flow', NOW - 60_000, 12),
      {
        point: 'north.plant1.fast.run',
        ts: NOW - 1000,
        value: null,
        quality: 'bad',
        reason: 'WS_ERR_MODBUS_TIMEOUT',
      },
    ]);
    app = await buildConsoleApi({
      store,
      live: noLive,
      metrics: createMetricsRegistry(),
      clock,
      version: '1.2.3',
    });
    inject = authInject(app, await bearerFor(store, 'viewer'));
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists points with their newest sample, filtered by site and node', async () => {
    const res = await inject('/api/v1/points');
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{ items: { id: string; latest?: unknown }[] }>();
    expect(items.map((p) => p.id)).toEqual([
      'north.plant1.fast.flow',
      'north.plant1.fast.run',
      'south.res1.slow.level',
    ]);
    expect(items[0]).toEqual({
      id: 'north.plant1.fast.flow',
      site: 'north',
      node: 'plant1',
      group: 'fast',
      tag: 'flow',
      unit: 'm3/h',
      latest: { ts: NOW - 60_000, value: 12, quality: 'good' },
    });
    expect(items[1]?.latest).toEqual({
      ts: NOW - 1000,
      value: null,
      quality: 'bad',
      reason: 'WS_ERR_MODBUS_TIMEOUT',
    });
    expect(items[2]?.latest).toBeUndefined();
    const south = await inject('/api/v1/points?site=south');
    expect(south.json<{ items: { id: string }[] }>().items.map((p) => p.id)).toEqual([
      'south.res1.slow.level',
    ]);
    const node = await inject('/api/v1/points?site=north&node=nope');
    expect(node.json()).toEqual({ items: [] });
  });

  it('gets one point, or a catalog 404', async () => {
    const res = await inject('/api/v1/points/north.plant1.fast.flow');
    expect(res.json()).toMatchObject({ id: 'north.plant1.fast.flow', unit: 'm3/h' });
    const missing = await inject('/api/v1/points/x.y.z.w');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'WS_ERR_NOT_FOUND', message: 'point not found: x.y.z.w' });
  });

  it('answers latest, and 404 for an unknown point or one without data', async () => {
    const res = await inject('/api/v1/points/north.plant1.fast.flow/latest');
    expect(res.json()).toEqual({
      point: 'north.plant1.fast.flow',
      ts: NOW - 60_000,
      value: 12,
      quality: 'good',
    });
    const noData = await inject('/api/v1/points/south.res1.slow.level/latest');
    expect(noData.statusCode).toBe(404);
    expect(noData.json<{ code: string }>().code).toBe('WS_ERR_API_NO_DATA');
    const unknown = await inject('/api/v1/points/a.b.c.d/latest');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('WS_ERR_NOT_FOUND');
  });

  describe('series', () => {
    const url = '/api/v1/points/north.plant1.fast.flow/series';

    it('defaults to the last hour', async () => {
      const res = await inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        point: 'north.plant1.fast.flow',
        from: NOW - 3_600_000,
        to: NOW,
        bucket: 'raw',
        samples: [
          { ts: NOW - 1_800_000, value: 11.5, quality: 'good' },
          { ts: NOW - 60_000, value: 12, quality: 'good' },
        ],
      });
    });

    it('accepts ms epoch and ISO-8601 bounds, inclusive, and a limit', async () => {
      const from = new Date(NOW - 7_200_000).toISOString();
      const res = await inject(`${url}?from=${from}&to=${NOW - 1_800_000}`);
      expect(res.json<{ samples: { value: number }[] }>().samples.map((s) => s.value)).toEqual([10, 11.5]);
      const limited = await inject(`${url}?from=0&to=${NOW}&limit=1`);
      expect(limited.json<{ samples: { value: number }[] }>().samples.map((s) => s.value)).toEqual([10]);
    });

    it('rejects from after to, and unparseable instants, naming the parameter', async () => {
      const res = await inject(`${url}?from=${NOW}&to=${NOW - 1}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'WS_ERR_API_INVALID_PARAM',
        message: expect.stringMatching(/^query parameter from:/),
      });
      const bad = await inject(`${url}?to=yesterday`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ message: string }>().message).toMatch(/^query parameter to: expected/);
      const limit = await inject(`${url}?limit=0`);
      expect(limit.statusCode).toBe(400);
      expect(limit.json()).toMatchObject({
        code: 'WS_ERR_BAD_REQUEST',
        message: expect.stringMatching(/query parameter limit/),
      });
    });

    it('is a 404 for an unknown point', async () => {
      const res = await inject('/api/v1/points/a.b.c.d/series');
      expect(res.statusCode).toBe(404);
    });
  });

  it('reports health, degraded when a component is not ok', async () => {
    const res = await inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: '1.2.3', components: { store: { ok: true } } });
    const degraded = await buildConsoleApi({
      store,
      live: noLive,
      metrics: createMetricsRegistry(),
      health: () => Promise.resolve({ broker: { ok: false, detail: 'not listening' } }),
    });
    const r2 = await degraded.inject('/healthz');
    expect(r2.statusCode).toBe(503);
    expect(r2.json()).toMatchObject({
      status: 'degraded',
      components: { store: { ok: true }, broker: { ok: false, detail: 'not listening' } },
    });
    await degraded.close();

    const hanging = await buildConsoleApi({
      store,
      live: noLive,
      metrics: createMetricsRegistry(),
      clock,
      health: () => new Promise(() => undefined),
    });
    const pending = hanging.inject('/healthz');
    await until(() => clock.pending > 0);
    await clock.advance(2000);
    const r3 = await pending;
    expect(r3.statusCode).toBe(503);
    expect(r3.json()).toMatchObject({
      components: { 'health-probe': { ok: false, detail: 'no answer within 2000 ms' } },
    });
    await hanging.close();
    expect(clock.pending).toBe(0);
  });

  it('exposes the registry and request metrics in the Prometheus format', async () => {
    await inject('/api/v1/points');
    await inject('/api/v1/points/x.y.z.w');
    const res = await inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(
      /watershed_api_requests_total\{method="GET",route="\/api\/v1\/points",status_code="200"\} 1/,
    );
    expect(res.body).toMatch(
      /watershed_api_requests_total\{method="GET",route="\/api\/v1\/points\/:id",status_code="404"\} 1/,
    );
    expect(res.body).toMatch(/watershed_api_request_duration_seconds_bucket/);
  });

  it('maps store errors to their catalog status and hides unexpected ones behind a 500', async () => {
    const failing = new Proxy(store, {
      get(target, key) {
        if (key === 'listPoints') return () => Promise.reject(new Error('disk I/O error at /secret/path'));
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const built = await buildConsoleApi({ store: failing, live: noLive, metrics: createMetricsRegistry() });
    const api = { inject: authInject(built, await bearerFor(store, 'viewer')), close: () => built.close() };
    const res = await api.inject('/api/v1/points');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      code: 'WS_ERR_INTERNAL',
      message: 'internal error: the request could not be completed',
    });
    await store.close();
    const closed = await api.inject('/api/v1/points/north.plant1.fast.flow');
    expect(closed.statusCode).toBe(503);
    expect(closed.json()).toEqual({ code: 'WS_ERR_CLOSED', message: 'store is closed' });
    const health = await api.inject('/healthz');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: 'degraded',
      components: { store: { ok: false, detail: 'closed' } },
    });
    await api.close();
  });

  it('answers unknown routes with the catalog 404', async () => {
    const res = await inject('/api/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'WS_ERR_NOT_FOUND', message: 'route not found: GET /api/v1/nothing' });
  });
});
