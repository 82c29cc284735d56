import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { overviewRoutes } from './routes.js';
import { OverviewKpis, type OverviewMap } from './schemas.js';
import type { OverviewService } from './service.js';

const zero = { critical: 0, major: 0, minor: 0, warning: 0 };

/** KPIs that tell which project they were computed for (the alarm count carries it). */
function kpisFor(project: string | undefined): OverviewKpis {
  const critical = project === 'acme/north' ? 2 : project === 'acme/south' ? 5 : 7;
  return {
    at: 1_000,
    dayStart: 0,
    timeZone: 'UTC',
    supply: { volumeM3: 120.5, coverage: 1, flowM3h: 300, points: ['works.plc.process.FT1_FLOW'] },
    pressure: { within: 9, total: 10, ratio: 0.9, minKpa: 280, low: 1, high: 0, basis: 'GB 50013-2018' },
    quality: { within: 3, total: 3, ratio: 1, byQuantity: {}, basis: 'GB 5749-2022' },
    alarms: {
      available: true,
      active: critical,
      unacknowledged: critical,
      bySeverity: { ...zero, critical },
    },
    completeness: { within: 10, total: 12, ratio: 10 / 12, stale: 1, bad: 1, staleFactor: 3 },
    sites: [],
  };
}

const MAP: OverviewMap = {
  type: 'FeatureCollection',
  configured: true,
  bbox: [0, 0, 10, 10],
  districts: [{ id: 'north', network: 'Net1', bbox: [0, 0, 10, 10], links: 1 }],
  features: [
    {
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [10, 10],
        ],
      },
      properties: { kind: 'pipe', district: 'north', diameterMm: 300, links: 1 },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [0, 0] },
      properties: { kind: 'site', district: 'north', site: 'works', key: 'works', element: '9' },
    },
  ],
};

describe('overview routes', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const asked: (string | undefined)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-overview-api-'));
    store = await openEmbeddedStore({ dir });
    const json = JSON.stringify(MAP);
    const overview: OverviewService = {
      kpis: (project) => {
        asked.push(project);
        return Promise.resolve(kpisFor(project));
      },
      map: () => ({ etag: '"map-1"', map: MAP, json }),
    };
    api = await buildTestApi(store, async (app, { access }) => {
      await app.register(overviewRoutes, { access, overview });
    });
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 without credentials', async () => {
    expect((await api.inject({ url: '/api/v1/overview' })).statusCode).toBe(401);
    expect((await api.inject({ url: '/api/v1/overview/map' })).statusCode).toBe(401);
  });

  it.each(ROLES)('lets a %s read both (read-only resource)', async (role) => {
    const authorization = await bearerFor(store, role);
    const kpis = await api.inject({ url: '/api/v1/overview', headers: { authorization } });
    expect(kpis.statusCode).toBe(200);
    expect(Value.Check(OverviewKpis, kpis.json())).toBe(true);
    expect(kpis.headers['cache-control']).toBe('no-store');
    const map = await api.inject({ url: '/api/v1/overview/map', headers: { authorization } });
    expect(map.statusCode).toBe(200);
    expect(map.headers['content-type']).toMatch(/^application\/json/);
    expect(map.json()).toEqual(MAP);
  });

  it("computes a project's KPIs for its own project only, whatever it asks for", async () => {
    const south = await bearerFor(store, 'admin', 'acme/south');
    const res = await api.inject({
      url: '/api/v1/overview?project=acme/north',
      headers: { authorization: south },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<OverviewKpis>().alarms.bySeverity.critical).toBe(5);
    expect(asked.at(-1)).toBe('acme/south');
  });

  it('lets an installation-wide principal see every project or name one', async () => {
    const { key } = await store.metadata.apiKeys.create({
      project: '*',
      name: 'root',
      role: 'admin',
      createdBy: 'test',
    });
    const authorization = `Bearer ${key}`;
    const all = await api.inject({ url: '/api/v1/overview', headers: { authorization } });
    expect(all.json<OverviewKpis>().alarms.active).toBe(7);
    expect(asked.at(-1)).toBeUndefined();
    const north = await api.inject({
      url: '/api/v1/overview?project=acme/north',
      headers: { authorization },
    });
    expect(north.json<OverviewKpis>().alarms.active).toBe(2);
  });

  it('sends the map gzipped to a client that accepts it', async () => {
    const authorization = await bearerFor(store, 'viewer');
    const res = await api.inject({
      url: '/api/v1/overview/map',
      headers: { authorization, 'accept-encoding': 'br;q=1, gzip;q=0.8' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(gunzipSync(res.rawPayload).toString('utf8'))).toEqual(MAP);
    const refused = await api.inject({
      url: '/api/v1/overview/map',
      headers: { authorization, 'accept-encoding': 'gzip;q=0' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.json()).toEqual(MAP);
  });

  it('serves the map with an ETag and answers 304 when it is unchanged', async () => {
    const authorization = await bearerFor(store, 'viewer');
    const first = await api.inject({ url: '/api/v1/overview/map', headers: { authorization } });
    expect(first.headers.etag).toBe('"map-1"');
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await api.inject({
      url: '/api/v1/overview/map',
      headers: { authorization, 'if-none-match': 'W/"other", "map-1"' },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const changed = await api.inject({
      url: '/api/v1/overview/map',
      headers: { authorization, 'if-none-match': '"map-0"' },
    });
    expect(changed.statusCode).toBe(200);
  });
});
