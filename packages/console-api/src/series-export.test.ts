import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { buildConsoleApi } from './app.js';
import { authInject, bearerFor } from './auth/testing.js';
import type { Rollup } from './schemas.js';

const H = 1_764_273_600_000; // 2025-11-27T20:00:00Z, an hour boundary
const P = 'north.plant1.fast.flow';
const N = 12_001; // more than two export pages

describe('series tiers, downsampling and export', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let inject: ReturnType<typeof authInject>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-series-'));
    store = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await store.upsertPoints([{ id: P, site: 'north', node: 'plant1', group: 'fast', tag: 'flow' }]);
    // One sample a second for 12001 s from H - 12000 s; a spike at H - 6000 s.
    const rows: SampleRow[] = Array.from({ length: N }, (_, i) => {
      const ts = H - (N - 1 - i) * 1000;
      return { point: P, ts, value: ts === H - 6_000_000 ? 500 : i % 60, quality: 'good' };
    });
    rows.push({ point: P, ts: H - 500, value: 'a, "quoted"\nline', quality: 'uncertain', reason: 'text' });
    await store.writeSamples(rows);
    app = await buildConsoleApi({
      store,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
      clock: new FakeClock(H),
    });
    inject = authInject(app, await bearerFor(store, 'viewer'));
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = `/api/v1/points/${P}`;

  it('serves 1-minute and 1-hour rollups', async () => {
    const res = await inject(`${url}/series?bucket=1m&from=${H - 120_000}&to=${H - 60_000}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ bucket: string; rollups: Rollup[]; samples?: unknown }>();
    expect(body.bucket).toBe('1m');
    expect(body.samples).toBeUndefined();
    expect(body.rollups).toEqual([
      {
        ts: H - 120_000,
        width: 60_000,
        count: 60,
        bad: 0,
        numeric: 60,
        min: 0,
        max: 59,
        avg: 29.5,
        last: 59,
        lastTs: H - 61_000,
        lastQuality: 'good',
      },
      {
        ts: H - 60_000,
        width: 60_000,
        count: 61,
        bad: 0,
        numeric: 60,
        min: 0,
        max: 59,
        avg: 29.5,
        last: 'a, "quoted"\nline',
        lastTs: H - 500,
        lastQuality: 'uncertain',
      },
    ]);
    const hours = await inject(`${url}/series?bucket=1h&from=${H - 4 * 3_600_000}&to=${H}`);
    const hourly = hours.json<{ rollups: Rollup[] }>().rollups;
    expect(hourly.map((r) => r.ts)).toEqual([
      H - 4 * 3_600_000,
      H - 3 * 3_600_000,
      H - 2 * 3_600_000,
      H - 3_600_000,
      H,
    ]);
    expect(hourly.reduce((n, r) => n + r.count, 0)).toBe(N + 1);
    expect(Math.max(...hourly.map((r) => r.max ?? 0))).toBe(500);
  });

  it('picks the tier for the span with bucket=auto', async () => {
    const bucketFor = async (span: number) =>
      (await inject(`${url}/series?bucket=auto&from=${H - span}&to=${H}`)).json<{ bucket: string }>().bucket;
    expect(await bucketFor(3_600_000)).toBe('raw');
    expect(await bucketFor(24 * 3_600_000)).toBe('1m');
    expect(await bucketFor(30 * 24 * 3_600_000)).toBe('1h');
  });

  it('falls back to coarser tiers with bucket=auto where retention pruned the finer ones', async () => {
    const clock = new FakeClock(H);
    const pdir = mkdtempSync(join(tmpdir(), 'ws-api-auto-'));
    const pruned = await openEmbeddedStore({
      dir: pdir,
      clock,
      flushIntervalMs: 0,
      retention: { raw: 3_600_000 },
    });
    await pruned.upsertPoints([{ id: P, site: 'north', node: 'plant1', group: 'fast', tag: 'flow' }]);
    const written = pruned.writeSamples([{ point: P, ts: H - 1000, value: 3, quality: 'good' }]);
    await clock.advance(0);
    await written;
    await clock.advance(3 * 3_600_000);
    await pruned.prune();
    const built = await buildConsoleApi({
      store: pruned,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
      clock,
    });
    const api = { inject: authInject(built, await bearerFor(pruned, 'viewer')), close: () => built.close() };
    const res = await api.inject(`${url}/series?bucket=auto&from=${H - 1_800_000}&to=${H}`);
    expect(res.json()).toMatchObject({ bucket: '1m', rollups: [{ ts: H - 60_000, count: 1, last: 3 }] });
    const raw = await api.inject(`${url}/series?bucket=raw&from=${H - 1_800_000}&to=${H}`);
    expect(raw.json()).toMatchObject({ bucket: 'raw', samples: [] });
    await api.close();
    await pruned.close();
    rmSync(pdir, { recursive: true, force: true });
  });

  it('downsamples raw samples keeping extremes, and merges rollups, to maxPoints', async () => {
    const raw = await inject(`${url}/series?from=${H - 12_000_000}&to=${H}&maxPoints=100`);
    const samples = raw.json<{ samples: { ts: number; value: unknown }[] }>().samples;
    expect(samples.length).toBeLessThanOrEqual(100);
    expect(samples.length).toBeGreaterThan(50);
    expect(samples).toContainEqual({ ts: H - 6_000_000, value: 500, quality: 'good' });
    const merged = await inject(`${url}/series?bucket=1m&from=${H - 12_000_000}&to=${H}&maxPoints=10`);
    const rollups = merged.json<{ rollups: Rollup[] }>().rollups;
    expect(rollups.length).toBeLessThanOrEqual(11);
    expect(rollups.reduce((n, r) => n + r.count, 0)).toBe(N + 1);
    expect(Math.max(...rollups.map((r) => r.max ?? 0))).toBe(500);
  });

  it('streams every sample of a range as CSV across pages, escaping text', async () => {
    const res = await inject(`${url}/export?format=csv&from=${H - 12_000_000}&to=${H}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="north\.plant1\.fast\.flow_raw_.*\.csv"$/,
    );
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('ts,time,value,quality,reason');
    expect(lines[1]).toBe(`${H - 12_000_000},${new Date(H - 12_000_000).toISOString()},0,good,`);
    expect(res.body).toContain(
      `${H - 500},${new Date(H - 500).toISOString()},"a, ""quoted""\nline",uncertain,text\r\n`,
    );
    const ts = lines.slice(1, -1).map((l) => Number(l.split(',')[0]));
    expect(ts).toHaveLength(N + 1);
    expect(new Set(ts).size).toBe(N + 1);
    expect(lines.at(-1)).toBe('');
  });

  it('streams JSON lines and rollups', async () => {
    const res = await inject(`${url}/export?format=jsonl&from=${H - 2000}&to=${H}`);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(
      res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { point: P, ts: H - 2000, value: 58, quality: 'good' },
      { point: P, ts: H - 1000, value: 59, quality: 'good' },
      { point: P, ts: H - 500, value: 'a, "quoted"\nline', quality: 'uncertain', reason: 'text' },
      { point: P, ts: H, value: 0, quality: 'good' },
    ]);
    const hourly = await inject(`${url}/export?bucket=1h&from=${H - 3_600_000}&to=${H}`);
    expect(hourly.body.split('\r\n')[0]).toBe(
      'ts,time,count,bad,numeric,min,max,avg,last,last_ts,last_quality',
    );
    expect(hourly.body.split('\r\n')[2]).toBe(`${H},${new Date(H).toISOString()},1,0,1,0,0,0,0,${H},good`);
  });

  it('answers export errors as catalog JSON', async () => {
    const missing = await inject('/api/v1/points/a.b.c.d/export');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: string }>().code).toBe('WS_ERR_NOT_FOUND');
    const bad = await inject(`${url}/export?format=xml`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string; message: string }>()).toMatchObject({ code: 'WS_ERR_BAD_REQUEST' });
  });
});
