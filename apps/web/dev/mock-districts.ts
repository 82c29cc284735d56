import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type MockRoutes } from './mock-http.js';

/**
 * `/api/v1/analytics` for the Districts page: three districts over the last 90 days, one of
 * them (east) with a leak that started nine nights ago, so the flag, the night-flow step and the
 * red bars have something to show. Deterministic: the same day gives the same figures.
 */
const DAY = 86_400_000;
const DISTRICTS = [
  { id: 'north', name: 'North', meters: 1200, properties: 1100, inflow: 140, mnf: 18, leakFrom: undefined },
  { id: 'east', name: 'East', meters: 1000, properties: 950, inflow: 120, mnf: 15, leakFrom: 9 },
  { id: 'west', name: 'West', meters: 800, properties: 760, inflow: 90, mnf: 11, leakFrom: undefined },
] as const;
const SETTINGS = {
  tzOffsetMinutes: 480,
  nightStartHour: 2,
  nightEndHour: 4,
  rollingMinutes: 15,
  allowanceLPerPropertyH: 1.7,
  baselineNights: 7,
  leakThresholdM3h: 2,
  leakThresholdPct: 10,
};

const wobble = (seed: number) => Math.sin(seed * 12.9898) * 0.5 + Math.sin(seed * 4.1414) * 0.5;

function dayOf(d: (typeof DISTRICTS)[number], start: number, now: number) {
  const index = Math.floor(start / DAY);
  const ago = Math.floor((now - start) / DAY);
  const leakM3h = d.leakFrom !== undefined && ago < d.leakFrom ? 6.5 : 0;
  const allowance = (d.properties * SETTINGS.allowanceLPerPropertyH) / 1000;
  const mnf = d.mnf + wobble(index + d.meters) * 0.8 + leakM3h;
  const input = d.inflow * 24 * (1 + wobble(index) * 0.05) + leakM3h * 24;
  const metered = d.inflow * 24 * 0.84 * (1 + wobble(index + 1) * 0.03);
  const baseline = d.mnf;
  const rise = mnf - baseline;
  const leak = rise > SETTINGS.leakThresholdM3h && rise / baseline > SETTINGS.leakThresholdPct / 100;
  return {
    date: new Date(start + SETTINGS.tzOffsetMinutes * 60_000).toISOString().slice(0, 10),
    start,
    end: start + DAY,
    systemInputM3: input,
    inflowCoveragePct: 100,
    meteredM3: metered,
    meterCoveragePct: 97.5,
    nrwM3: input - metered,
    nrwPct: ((input - metered) / input) * 100,
    mnfM3h: mnf,
    mnfAt: start + 3 * 3_600_000,
    allowanceM3h: allowance,
    leakEstimateM3h: mnf - allowance,
    baselineM3h: baseline,
    mnfRiseM3h: rise,
    leak,
    resets: 0,
    rollovers: 0,
    reverse: 0,
  };
}

function info(d: (typeof DISTRICTS)[number]) {
  return {
    id: d.id,
    name: d.name,
    project: 'default/default',
    inflowPoints: [`${d.id}.plc.flow.inlet_flow`],
    meters: d.meters,
    properties: d.properties,
  };
}

function meters(d: (typeof DISTRICTS)[number], now: number) {
  return Array.from({ length: 60 }, (_, i) => {
    const status = i % 17 === 0 ? 'fault' : i % 7 === 0 ? 'warn' : 'ok';
    const reasons =
      status === 'fault'
        ? [{ code: 'reverse-flow', severity: 'fault', message: 'register went down 0.4 m³' }]
        : status === 'warn'
          ? [{ code: 'incomplete', severity: 'warn', message: '80 % of readings' }]
          : [];
    return {
      id: `m${1000 + i}`,
      point: `${d.id}.${d.id}-concentrator.meters.m${1000 + i}`,
      status,
      reasons,
      readings: status === 'warn' ? 576 : 720,
      expectedReadings: 720,
      completenessPct: status === 'warn' ? 80 : 100,
      lastReadingTs: now - 3_600_000,
      lastReadingAgeMs: 3_600_000,
      lastValueM3: 120 + i,
      consumptionM3: 8 + (i % 5),
    };
  });
}

export function mockDistricts(): MockRoutes {
  return (_req: IncomingMessage, res: ServerResponse, url: URL) => {
    const now = Date.now();
    const path = url.pathname;
    const today = Math.floor(now / DAY) * DAY;
    if (path === '/api/v1/analytics/districts')
      return json(res, 200, {
        items: DISTRICTS.map((d) => {
          const t = dayOf(d, today, now);
          const y = dayOf(d, today - DAY, now);
          return { ...info(d), today: t, yesterday: y, leak: t.leak };
        }),
      });
    const m = /^\/api\/v1\/analytics\/districts\/([^/]+)(\/meters)?$/.exec(path);
    const d = DISTRICTS.find((x) => x.id === decodeURIComponent(m?.[1] ?? ''));
    if (m !== null && d === undefined)
      return json(res, 404, { code: 'WS_ERR_ANALYTICS_NOT_FOUND', message: 'no such district' });
    const to = Number(url.searchParams.get('to') ?? now);
    const from = Number(url.searchParams.get('from') ?? to - 30 * DAY);
    if (m !== null && d !== undefined && m[2] === undefined) {
      const days = [];
      for (let s = Math.floor(from / DAY) * DAY; s < to; s += DAY) days.push(dayOf(d, s, now));
      return json(res, 200, { district: info(d), from, to, settings: SETTINGS, days });
    }
    if (m !== null && d !== undefined) {
      const status = url.searchParams.get('status');
      const all = meters(d, now);
      const matching = all.filter((x) => status === null || x.status === status);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const count = (s: string) => all.filter((x) => x.status === s).length;
      return json(res, 200, {
        district: d.id,
        from,
        to,
        counts: { ok: count('ok'), warn: count('warn'), fault: count('fault') },
        total: matching.length,
        offset,
        items: matching.slice(offset, offset + limit),
      });
    }
    if (path === '/api/v1/analytics/quality')
      return json(res, 200, {
        standard: 'GB 5749-2022',
        profile: 'default',
        from,
        to,
        items: [
          quality('north.plant.quality.outlet_turb', 'turbidity', null, 1, 'NTU', 99.2, []),
          quality('east.plant.quality.outlet_cl', 'chlorine', 0.3, 2, 'mg/L', 91.5, [
            {
              side: 'low',
              start: now - 2 * DAY,
              end: now - 2 * DAY + 5_400_000,
              durationMs: 5_400_000,
              peak: { ts: now - 2 * DAY, value: 0.21 },
              open: false,
            },
          ]),
          quality('west.plant.quality.outlet_ph', 'ph', 6.5, 8.5, '', 100, []),
        ],
      });
    if (path === '/api/v1/analytics/data-quality') {
      const site = url.searchParams.get('site') ?? 'north';
      return json(res, 200, {
        site,
        from,
        to,
        total: 3,
        offset: 0,
        items: ['inlet_flow', 'inlet_pressure', 'reservoir_level'].map((tag, i) => ({
          point: `${site}.plc.process.${tag}`,
          basis: '1m',
          expectedIntervalMs: 60_000,
          expected: 1440,
          received: 1440 - i * 60,
          completenessPct: 100 - i * 4.2,
          gapCount: i,
          stuckReadings: i * 10,
          spikeCount: i,
          outOfRangeCount: 0,
          bad: i * 5,
          uncertain: 0,
          badPct: i * 0.35,
          score: 100 - i * 15,
          issues: i === 0 ? [] : [`${i} gaps`],
        })),
      });
    }
    return json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no mock for ${path}` });
  };
}

function quality(
  point: string,
  parameter: string,
  min: number | null,
  max: number | null,
  unit: string,
  pct: number,
  excursions: unknown[],
) {
  return {
    point,
    site: point.split('.')[0],
    parameter,
    role: 'plant-outlet',
    unit,
    min,
    max,
    sources: ['GB 5749-2022 表1', 'GB 5749-2022 表2'],
    samples: 10_080,
    uncertain: 0,
    excluded: 12,
    compliantSamples: Math.round((10_080 * pct) / 100),
    coveredMs: 7 * DAY,
    compliantMs: (7 * DAY * pct) / 100,
    compliancePct: pct,
    coveragePct: 99.8,
    worst: { ts: Date.now() - DAY, value: max ?? min ?? 0 },
    excursions,
  };
}
