import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { buildConsoleApi } from '../app.js';
import { authInject, bearerFor } from '../auth/testing.js';
import type { TrendBody } from '../schemas.js';

const NOW = 1_764_273_600_000; // 2025-11-27T20:00:00Z
const POINT = 'north.plant1.fast.flow';
const HOUR = 3_600_000;
// A 10-minute outage an hour ago: a chart must show it as a break, not a straight line.
const GAP_FROM = NOW - HOUR;
const GAP_TO = GAP_FROM + 600_000;

describe('GET /api/v1/points/:id/trend', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let inject: ReturnType<typeof authInject>;
  let peak: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-trend-'));
    store = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await store.upsertPoints([{ id: POINT, site: 'north', node: 'plant1', group: 'fast', tag: 'flow' }]);
    // Two hours of 1-s samples of a slow sine, one sharp spike, and the outage.
    const rows: SampleRow[] = [];
    peak = 0;
    for (let ts = NOW - 2 * HOUR; ts <= NOW; ts += 1000) {
      if (ts >= GAP_FROM && ts < GAP_TO) continue;
      const value = ts === NOW - 30 * 60_000 ? 500 : 100 + 10 * Math.sin(ts / 600_000);
      peak = Math.max(peak, value);
      rows.push({ point: POINT, ts, value, quality: 'good' });
    }
    await store.writeSamples(rows);
    app = await buildConsoleApi({
      store,
      clock: new FakeClock(NOW),
      metrics: createMetricsRegistry(),
      live: { subscribe: () => () => undefined },
    });
    inject = authInject(app, await bearerFor(store, 'viewer'));
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function trend(query: string): Promise<{ status: number; body: TrendBody }> {
    const res = await inject({ url: `/api/v1/points/${POINT}/trend?${query}` });
    return { status: res.statusCode, body: res.json<TrendBody>() };
  }

  it('returns at most the asked number of values, keeps the spike and shows the outage as a gap', async () => {
    const { status, body } = await trend(`from=${NOW - 2 * HOUR}&to=${NOW}&points=200`);
    expect(status).toBe(200);
    expect(body.tier).not.toBe('raw'); // 7,200 samples for 200 points: a rollup tier is read
    const values = body.points.filter((p) => p.value !== null);
    expect(values.length).toBeLessThanOrEqual(200);
    expect(values.length).toBeGreaterThan(50);
    expect(Math.max(...values.map((p) => p.value!))).toBe(peak);
    const ts = body.points.map((p) => p.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    const gaps = body.points.filter((p) => p.value === null);
    expect(gaps.some((g) => g.ts >= GAP_FROM - 60_000 && g.ts <= GAP_TO)).toBe(true);
  });

  it('reads raw samples for a short range and supports LTTB', async () => {
    // Five minutes hold 301 samples: with room for 1,000 points every one of them is kept.
    const { status, body } = await trend(`from=${NOW - 300_000}&to=${NOW}&points=1000&method=lttb`);
    expect(status).toBe(200);
    expect(body.tier).toBe('raw');
    expect(body.method).toBe('lttb');
    expect(body.points.length).toBe(301);
    expect(body.points[0]!.ts).toBeGreaterThanOrEqual(NOW - 300_000);
  });

  it('refuses a bad request and an unknown point with catalog codes', async () => {
    const bad = await inject({ url: `/api/v1/points/${POINT}/trend?points=1` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('WS_ERR_BAD_REQUEST');
    const missing = await inject({ url: '/api/v1/points/no.such.point.here/trend' });
    expect(missing.statusCode).toBe(404);
  });
});
