import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { analyticsRoutes } from './routes.js';
import {
  DataQualityPage,
  DistrictList,
  DistrictReport,
  MeterHealthPage,
  QualityReport,
  type DistrictInfo,
  type DmaDay,
} from './schemas.js';
import type { AnalyticsService, ProjectScope } from './service.js';

const NOW = Date.UTC(2026, 10, 28, 6);
const DAY = 86_400_000;

/** Two districts of two projects; the fake answers as the real service must: by scope. */
const DISTRICTS: DistrictInfo[] = [
  {
    id: 'north',
    name: 'North',
    project: 'acme/north',
    inflowPoints: ['north.north-works.process.FT1_FLOW'],
    meters: 2,
    properties: 2,
  },
  { id: 'south', name: 'South', project: 'acme/south', inflowPoints: [], meters: 0, properties: 0 },
];
const day = (start: number): DmaDay => ({
  date: new Date(start).toISOString().slice(0, 10),
  start,
  end: start + DAY,
  systemInputM3: 100,
  inflowCoveragePct: 100,
  meteredM3: 80,
  meterCoveragePct: 100,
  nrwM3: 20,
  nrwPct: 20,
  mnfM3h: 2,
  mnfAt: start + 2 * 3_600_000,
  allowanceM3h: 0.1,
  leakEstimateM3h: 1.9,
  baselineM3h: 1.5,
  mnfRiseM3h: 0.5,
  leak: false,
  resets: 0,
  rollovers: 0,
  reverse: 0,
});
const visible = (scope: ProjectScope, project: string): boolean => scope === undefined || scope === project;

interface Call {
  method: string;
  scope: ProjectScope;
  args: unknown;
}

function fakeService(calls: Call[]): AnalyticsService {
  const find = (id: string, scope: ProjectScope) =>
    DISTRICTS.find((d) => d.id === id && visible(scope, d.project));
  return {
    districts: (scope, now) => {
      calls.push({ method: 'districts', scope, args: now });
      return Promise.resolve(
        DISTRICTS.filter((d) => visible(scope, d.project)).map((d) => ({
          ...d,
          today: day(now - (now % DAY)),
          yesterday: null,
          leak: false,
        })),
      );
    },
    district: (id, range, scope) => {
      calls.push({ method: 'district', scope, args: range });
      const d = find(id, scope);
      if (!d) return Promise.resolve(undefined);
      const settings = {
        tzOffsetMinutes: 480,
        nightStartHour: 2,
        nightEndHour: 4,
        rollingMinutes: 15,
        allowanceLPerPropertyH: 1.7,
        baselineNights: 7,
        leakThresholdM3h: 0.5,
        leakThresholdPct: 10,
      };
      return Promise.resolve({ district: d, ...range, settings, days: [day(range.from)] });
    },
    meters: (id, q, scope) => {
      calls.push({ method: 'meters', scope, args: q });
      const d = find(id, scope);
      if (!d) return Promise.resolve(undefined);
      return Promise.resolve({
        district: id,
        from: q.from,
        to: q.to,
        counts: { ok: 1, warn: 0, fault: 1 },
        total: q.status === 'fault' ? 1 : 2,
        offset: q.offset,
        items: [
          {
            id: 'm2',
            point: 'north.north-concentrator.meters.m2',
            status: 'fault' as const,
            reasons: [
              { code: 'reverse-flow', severity: 'fault' as const, message: 'register fell', ts: q.to - DAY },
            ],
            readings: 40,
            expectedReadings: 40,
            completenessPct: 100,
            lastReadingTs: q.to,
            lastReadingAgeMs: 0,
            lastValueM3: 12.5,
            consumptionM3: -1,
          },
        ].slice(0, q.limit),
      });
    },
    quality: (q, scope) => {
      calls.push({ method: 'quality', scope, args: q });
      const items = DISTRICTS.filter((d) => visible(scope, d.project)).map((d) => ({
        point: `${d.id}.${d.id}-works.process.Q1_TURB`,
        site: d.id,
        parameter: 'turbidity' as const,
        role: 'plant-outlet' as const,
        unit: 'NTU',
        min: null,
        max: 1,
        sources: ['GB 5749-2022 表1, clause 4.2: ≤ 1 NTU'],
        samples: 10,
        uncertain: 0,
        excluded: 1,
        compliantSamples: 9,
        coveredMs: 600_000,
        compliantMs: 540_000,
        compliancePct: 90,
        coveragePct: 100,
        worst: { ts: q.from, value: 1.4 },
        excursions: [
          {
            side: 'high' as const,
            start: q.from,
            end: q.from + 60_000,
            durationMs: 60_000,
            peak: { ts: q.from, value: 1.4 },
            open: false,
          },
        ],
      }));
      return Promise.resolve({
        standard: 'GB 5749-2022',
        profile: 'standard',
        resolutionMs: 60_000,
        from: q.from,
        to: q.to,
        items,
      });
    },
    dataQuality: (q, scope) => {
      calls.push({ method: 'dataQuality', scope, args: q });
      const d = find(q.site, scope);
      if (!d) return Promise.resolve(undefined);
      return Promise.resolve({ site: q.site, from: q.from, to: q.to, total: 0, offset: q.offset, items: [] });
    },
  };
}

describe('analytics routes', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const calls: Call[] = [];
  const get = async (url: string, authorization: string) => api.inject({ url, headers: { authorization } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-analytics-api-'));
    store = await openEmbeddedStore({ dir });
    const clock = new FakeClock(NOW);
    api = await buildTestApi(store, async (app, { access }) => {
      await app.register(analyticsRoutes, { access, analytics: fakeService(calls), clock });
    });
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const URLS = [
    '/api/v1/analytics/districts',
    '/api/v1/analytics/districts/north',
    '/api/v1/analytics/districts/north/meters',
    '/api/v1/analytics/quality',
    '/api/v1/analytics/data-quality?site=north',
  ];

  it('answers 401 without credentials', async () => {
    for (const url of URLS) expect((await api.inject({ url })).statusCode).toBe(401);
  });

  it.each(ROLES)('lets a %s read every report, each in its documented shape', async (role) => {
    const auth = await bearerFor(store, role, 'acme/north');
    const shapes = [DistrictList, DistrictReport, MeterHealthPage, QualityReport, DataQualityPage];
    for (const [i, url] of URLS.entries()) {
      const res = await get(url, auth);
      expect(res.statusCode, url).toBe(200);
      expect(Value.Check(shapes[i]!, res.json()), url).toBe(true);
    }
  });

  it("shows a project its own districts and answers another project's as unknown (404)", async () => {
    const north = await bearerFor(store, 'admin', 'acme/north');
    const list = await get('/api/v1/analytics/districts?project=acme/south', north);
    expect(list.json<DistrictList>().items.map((d) => d.id)).toEqual(['north']);
    expect(calls.at(-1)?.scope).toBe('acme/north');
    for (const url of [
      '/api/v1/analytics/districts/south',
      '/api/v1/analytics/districts/south/meters',
      '/api/v1/analytics/data-quality?site=south',
    ]) {
      const res = await get(url, north);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ code: string }>().code).toMatch(/^WS_ERR_ANALYTICS_(DISTRICT|SITE)_NOT_FOUND$/);
    }
    const quality = await get('/api/v1/analytics/quality', north);
    expect(quality.json<QualityReport>().items.map((i) => i.site)).toEqual(['north']);
  });

  it('lets an installation-wide principal see every project or name one', async () => {
    const { key } = await store.metadata.apiKeys.create({
      project: '*',
      name: 'root',
      role: 'admin',
      createdBy: 'test',
    });
    const root = `Bearer ${key}`;
    expect((await get('/api/v1/analytics/districts', root)).json<DistrictList>().items).toHaveLength(2);
    expect(calls.at(-1)?.scope).toBeUndefined();
    expect((await get('/api/v1/analytics/districts/south', root)).statusCode).toBe(200);
    const named = await get('/api/v1/analytics/districts?project=acme/south', root);
    expect(named.json<DistrictList>().items.map((d) => d.id)).toEqual(['south']);
  });

  it('defaults each range to its report and passes paging and filters on', async () => {
    const auth = await bearerFor(store, 'viewer', 'acme/north');
    await get('/api/v1/analytics/districts/north', auth);
    expect(calls.at(-1)?.args).toEqual({ from: NOW - 14 * DAY, to: NOW });
    await get('/api/v1/analytics/quality?site=north', auth);
    expect(calls.at(-1)?.args).toEqual({ from: NOW - 7 * DAY, to: NOW, site: 'north' });
    await get('/api/v1/analytics/data-quality?site=north&node=north-works&offset=50&limit=10', auth);
    expect(calls.at(-1)?.args).toEqual({
      from: NOW - DAY,
      to: NOW,
      site: 'north',
      node: 'north-works',
      offset: 50,
      limit: 10,
    });
    const page = await get(
      '/api/v1/analytics/districts/north/meters?status=fault&limit=1&from=2026-11-01&to=2026-11-15',
      auth,
    );
    expect(calls.at(-1)?.args).toEqual({
      from: Date.UTC(2026, 10, 1),
      to: Date.UTC(2026, 10, 15),
      status: 'fault',
      offset: 0,
      limit: 1,
    });
    expect(page.json<MeterHealthPage>()).toMatchObject({
      total: 1,
      counts: { fault: 1 },
      items: [{ id: 'm2', status: 'fault' }],
    });
  });

  it('refuses a reversed, too long or unreadable range and bad paging', async () => {
    const auth = await bearerFor(store, 'viewer', 'acme/north');
    const reversed = await get(`/api/v1/analytics/districts/north?from=${NOW}&to=${NOW - DAY}`, auth);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ code: string }>().code).toBe('WS_ERR_ANALYTICS_RANGE');
    const long = await get(`/api/v1/analytics/data-quality?site=north&from=${NOW - 8 * DAY}`, auth);
    expect(long.json<{ code: string }>().code).toBe('WS_ERR_ANALYTICS_RANGE');
    const garbled = await get('/api/v1/analytics/quality?from=yesterday', auth);
    expect(garbled.json<{ code: string }>().code).toBe('WS_ERR_API_INVALID_PARAM');
    expect((await get('/api/v1/analytics/districts/north/meters?limit=5000', auth)).statusCode).toBe(400);
    expect((await get('/api/v1/analytics/districts/north/meters?status=broken', auth)).statusCode).toBe(400);
    expect((await get('/api/v1/analytics/data-quality', auth)).statusCode).toBe(400);
  });
});
