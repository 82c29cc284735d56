import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore, type Store } from '@watershed/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { metersRoutes } from './routes.js';
import type { MeterRegistryService, MeterView } from './service.js';

const LAST = Date.UTC(2026, 2, 1, 0, 15);
const METERS: MeterView[] = [
  {
    id: '202600000001',
    vendor: 'c',
    protocol: 'http-json',
    district: 'north',
    project: 'acme/north',
    point: 'north.nbiot-c.meters.202600000001',
    lastReadingTs: LAST,
    lastTotalM3: 12.5,
    batteryLow: true,
    valveOpen: true,
  },
  {
    id: '864310000000001',
    vendor: 'a',
    protocol: 'mqtt-json',
    district: 'east',
    project: 'acme/north',
    point: 'east.nbiot-a.meters.864310000000001',
  },
  {
    id: '70B3D5E75E100001',
    vendor: 'b',
    protocol: 'mqtt-json',
    district: 'south',
    project: 'acme/south',
    point: 'south.nbiot-b.meters.70B3D5E75E100001',
    lastReadingTs: LAST,
    lastTotalM3: 3,
  },
];

/** An in-memory registry (apps/server's is tested against the real store there). */
let asked: { id: string; from: number; to: number; limit: number }[];
const registry: MeterRegistryService = {
  list: () => Promise.resolve(METERS),
  get: (id) => Promise.resolve(METERS.find((m) => m.id === id)),
  readings(id, range) {
    asked.push({ id, ...range });
    return Promise.resolve([
      { ts: LAST, totalM3: 12.5 },
      { ts: LAST - 3_600_000, totalM3: 12.25 },
    ]);
  },
};

let dir: string;
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-meters-registry-'));
  store = await openEmbeddedStore({ dir });
  app = await buildTestApi(store, async (api, { access }) => {
    await api.register(metersRoutes, { access, registry });
  });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  asked = [];
});

const get = async (url: string, role: (typeof ROLES)[number] = 'viewer', project = 'acme/north') =>
  app.inject({ url, headers: { authorization: await bearerFor(store, role, project) } });

describe('GET /api/v1/meters', () => {
  it.each(ROLES)('lists the meters of the caller’s project for role %s', async (role) => {
    const res = await get('/api/v1/meters', role);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: MeterView[] }>().items.map((m) => m.id)).toEqual([
      '202600000001',
      '864310000000001',
    ]);
  });

  it('filters by district and vendor', async () => {
    const res = await get('/api/v1/meters?district=east');
    expect(res.json<{ items: MeterView[] }>().items.map((m) => m.vendor)).toEqual(['a']);
    const byVendor = await get('/api/v1/meters?vendor=c');
    expect(byVendor.json<{ items: MeterView[] }>().items).toEqual([METERS[0]]);
  });

  it('shows an installation-wide principal every project, or the one it names', async () => {
    const all = await get('/api/v1/meters', 'admin', '*');
    expect(all.json<{ items: MeterView[] }>().items).toHaveLength(3);
    const south = await get('/api/v1/meters?project=acme/south', 'admin', '*');
    expect(south.json<{ items: MeterView[] }>().items.map((m) => m.id)).toEqual(['70B3D5E75E100001']);
  });

  it('needs a principal', async () => {
    expect((await app.inject({ url: '/api/v1/meters' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/meters/:id', () => {
  it('gives the meter with its readings of the week up to its newest one', async () => {
    const res = await get('/api/v1/meters/202600000001');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ...METERS[0],
      readings: [
        { ts: LAST, totalM3: 12.5 },
        { ts: LAST - 3_600_000, totalM3: 12.25 },
      ],
    });
    expect(asked).toEqual([{ id: '202600000001', from: LAST - 7 * 86_400_000, to: LAST, limit: 100 }]);
  });

  it('passes an explicit range and limit', async () => {
    await get('/api/v1/meters/202600000001?from=1000&to=2000&limit=5');
    expect(asked).toEqual([{ id: '202600000001', from: 1000, to: 2000, limit: 5 }]);
    expect((await get('/api/v1/meters/202600000001?limit=0')).statusCode).toBe(400);
  });

  it('gives a meter without readings an empty list', async () => {
    const res = await get('/api/v1/meters/864310000000001');
    expect(res.json()).toMatchObject({ id: '864310000000001', readings: [] });
    expect(asked).toEqual([]);
  });

  it('answers another project’s meter 404, like an unknown one', async () => {
    const other = await get('/api/v1/meters/70B3D5E75E100001');
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'WS_ERR_METER_NOT_FOUND' });
    expect((await get('/api/v1/meters/nope')).statusCode).toBe(404);
    expect((await get('/api/v1/meters/70B3D5E75E100001', 'viewer', 'acme/south')).statusCode).toBe(200);
  });
});
