import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point, Sample } from '@watershed/model';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDayStart } from '@watershed/water';
import { syntheticDistrict } from '@watershed/water/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsSettings } from './config.js';
import { StoreAnalyticsService } from './service.js';

const TZ = 480;
// Twelve local days ending at today's local midnight (China Standard Time), so the data is recent.
const TODAY = localDayStart(Date.now(), TZ);
const START = TODAY - 12 * DAY_MS;
const NOW = TODAY + 6 * HOUR_MS;
const LEAK_AT = START + 8 * DAY_MS + 10 * HOUR_MS;

const point = (id: string, extra: Partial<Point> = {}): Point => {
  const [site, node, group, tag] = id.split('.') as [string, string, string, string];
  return { id, site, node, group, tag, ...extra };
};
const rows = (id: string, samples: readonly Sample[]): SampleRow[] =>
  samples.map((s) => ({ point: id, ...s }));

describe('StoreAnalyticsService on an embedded store', () => {
  let dir: string;
  let store: Store;
  let service: StoreAnalyticsService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-analytics-'));
    store = await openEmbeddedStore({ dir });
    // North: two works inlets share the district's inflow 60/40; 20 household meters; a vendor
    // meter that never moves and reports a low battery; a meter whose register runs backwards.
    const north = syntheticDistrict({
      start: START,
      days: 12,
      meters: 20,
      tzOffsetMinutes: TZ,
      leaks: [{ at: LEAK_AT, flowM3h: 6 }],
    });
    const FT1 = 'north.north-works.process.FT1_FLOW';
    const FT2 = 'north.north-works.process.FT2_FLOW';
    const share = (f: number) => north.inflow.map((s) => ({ ...s, value: (s.value as number) * f }));
    const points: Point[] = [
      point(FT1, { unit: 'm3/h', quantity: 'flow' }),
      point(FT2, { unit: 'm3/h', quantity: 'flow' }),
      point('north.north-works.process.FT1_VELOCITY', { unit: 'm/s', quantity: 'other' }),
      ...north.meters.map((m) =>
        point(`north.north-concentrator.meters.${m.id}`, { unit: 'm3', quantity: 'volume' }),
      ),
      point('north.nbiot-a.meters.v1', { unit: 'm3', quantity: 'volume' }),
      point('north.nbiot-a.meters-battery-low.v1', { quantity: 'status', dataType: 'bool' }),
      point('north.north-concentrator.meters.r1', { unit: 'm3', quantity: 'volume' }),
      point('north.north-works.process.Q1_TURB', { unit: 'NTU', quantity: 'turbidity' }),
      point('north.north-prv.process.Q1_CL', { unit: 'mg/L', quantity: 'chlorine' }),
      point('south.south-concentrator.meters.m1', { unit: 'm3', quantity: 'volume' }),
    ];
    await store.upsertPoints(points);
    await store.metadata.sites.put({ id: 'south', name: 'South', kind: 'district', project: 'acme/south' });
    const writes: SampleRow[] = [
      ...rows(FT1, share(0.6)),
      ...rows(FT2, share(0.4)),
      ...north.meters.flatMap((m) => rows(`north.north-concentrator.meters.${m.id}`, m.samples)),
      ...rows(
        'north.nbiot-a.meters.v1',
        Array.from({ length: 49 }, (_, i) => ({
          ts: START + i * 6 * HOUR_MS,
          value: 42,
          quality: 'good' as const,
        })),
      ),
      { point: 'north.nbiot-a.meters-battery-low.v1', ts: TODAY, value: true, quality: 'good' },
      ...rows(
        'north.north-concentrator.meters.r1',
        Array.from({ length: 49 }, (_, i) => ({
          ts: START + i * 6 * HOUR_MS,
          value: i === 44 ? 500 + i / 100 - 1 : 500 + i / 100,
          quality: 'good' as const,
        })),
      ),
      { point: 'south.south-concentrator.meters.m1', ts: TODAY, value: 1, quality: 'good' },
    ];
    // A day of outlet turbidity every 10 s: 0.2 NTU with an hour at 1.5 (one reading of 2.2) and
    // 60 bad samples, with the analyser's last-digit wobble.
    const day = TODAY - DAY_MS;
    for (let ts = day; ts < TODAY; ts += 10_000) {
      const h = (ts - day) / HOUR_MS;
      const bad = h >= 20 && h < 20 + 600_000 / HOUR_MS;
      writes.push(
        bad
          ? {
              point: 'north.north-works.process.Q1_TURB',
              ts,
              value: null,
              quality: 'bad',
              reason: 'WS_ERR_TIMEOUT',
            }
          : {
              point: 'north.north-works.process.Q1_TURB',
              ts,
              value:
                (h >= 6 && h < 7 ? (ts === day + 6.5 * HOUR_MS ? 2.2 : 1.5) : 0.2) +
                0.01 * Math.sin(ts / 70_000),
              quality: 'good',
            },
      );
      if ((ts - day) % MINUTE_MS === 0)
        writes.push({ point: 'north.north-prv.process.Q1_CL', ts, value: 0.3, quality: 'good' });
    }
    await store.writeSamples(writes);
    // The concentrator reads the household meters four times a day.
    service = new StoreAnalyticsService({
      store,
      config: { project: 'acme/north', tzOffsetMinutes: TZ, meterReportIntervalS: 6 * 3600 },
    });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists a project's districts, found by convention, with today's leak flag", async () => {
    const list = await service.districts('acme/north', NOW);
    expect(list.map((d) => d.id)).toEqual(['north']);
    const [north] = list;
    expect(north).toMatchObject({
      project: 'acme/north',
      inflowPoints: ['north.north-works.process.FT1_FLOW', 'north.north-works.process.FT2_FLOW'],
      meters: 22,
      properties: 22,
      leak: true,
    });
    expect(north!.today?.start).toBe(TODAY);
    expect(north!.yesterday?.start).toBe(TODAY - DAY_MS);
    expect((await service.districts(undefined, NOW)).map((d) => d.id)).toEqual(['north', 'south']);
  });

  it('shows the leak as a step in the minimum night flow, flagged and sized from the store', async () => {
    const report = await service.district('north', { from: START, to: TODAY }, 'acme/north');
    expect(report?.days).toHaveLength(12);
    const days = report!.days;
    const night = 20 * 0.95 * 0.004 + 1;
    for (const d of days.slice(0, 9)) {
      expect(d.leak).toBe(false);
      expect(d.mnfM3h!).toBeCloseTo(night, 1);
    }
    for (const d of days.slice(9)) {
      expect(d.leak).toBe(true);
      expect(d.mnfRiseM3h!).toBeGreaterThan(5.9);
      expect(d.mnfRiseM3h!).toBeLessThan(6.1);
    }
    // Full days before the leak: the background leakage of 1 m³/h is the non-revenue water.
    for (const d of days.slice(1, 8)) expect(d.nrwM3!).toBeGreaterThan(23);
    for (const d of days.slice(1, 8)) expect(d.nrwM3!).toBeLessThan(25);
    expect(report!.settings).toMatchObject({
      tzOffsetMinutes: TZ,
      nightStartHour: 2,
      nightEndHour: 4,
      baselineNights: 7,
    });
  });

  it('answers another project as unknown', async () => {
    expect(await service.district('south', { from: START, to: TODAY }, 'acme/north')).toBeUndefined();
    expect(
      await service.meters('south', { from: START, to: TODAY, offset: 0, limit: 10 }, 'acme/north'),
    ).toBeUndefined();
    expect(
      await service.dataQuality(
        { site: 'south', from: TODAY - DAY_MS, to: TODAY, offset: 0, limit: 10 },
        'acme/north',
      ),
    ).toBeUndefined();
    expect(await service.district('south', { from: START, to: TODAY }, 'acme/south')).toBeDefined();
    expect(await service.district('nowhere', { from: START, to: TODAY }, undefined)).toBeUndefined();
  });

  it("judges the district's meters, faults first", async () => {
    const page = await service.meters(
      'north',
      { from: TODAY - 11 * DAY_MS, to: TODAY, offset: 0, limit: 5 },
      'acme/north',
    );
    expect(page?.counts).toEqual({ ok: 20, warn: 1, fault: 1 });
    expect(page?.items.slice(0, 2).map((m) => [m.id, m.status, m.reasons.map((r) => r.code)])).toEqual([
      ['r1', 'fault', ['reverse-flow']],
      ['v1', 'warn', ['zero-consumption', 'battery-low']],
    ]);
    expect(page?.items[0]?.point).toBe('north.north-concentrator.meters.r1');
    const warn = await service.meters(
      'north',
      { from: TODAY - 11 * DAY_MS, to: TODAY, status: 'warn', offset: 0, limit: 5 },
      'acme/north',
    );
    expect(warn).toMatchObject({ total: 1, items: [{ id: 'v1' }] });
  });

  it('reports GB 5749-2022 compliance per quality point, limits from the shipped rule set', async () => {
    const q = await service.quality({ from: TODAY - DAY_MS, to: TODAY - 1 }, 'acme/north');
    expect(q).toMatchObject({ standard: 'GB 5749-2022', resolutionMs: MINUTE_MS });
    expect(q.items.map((i) => [i.point, i.parameter, i.role])).toEqual([
      ['north.north-prv.process.Q1_CL', 'chlorine', 'network-end'],
      ['north.north-works.process.Q1_TURB', 'turbidity', 'plant-outlet'],
    ]);
    const turb = q.items[1]!;
    expect(turb).toMatchObject({ max: 1, min: null, excluded: 60 });
    expect(turb.sources[0]).toMatch(/^GB 5749-2022 表1/);
    // One hour in 24 above 1 NTU (minus the 10 minutes the analyser was bad).
    expect(turb.compliancePct!).toBeCloseTo((100 * 23 * 60 - 1000) / (24 * 60 - 10), 0);
    expect(turb.excursions).toHaveLength(1);
    expect(turb.excursions[0]!.durationMs).toBe(HOUR_MS);
    expect(q.items[0]).toMatchObject({ compliancePct: 100, min: 0.05, max: null });
    expect(
      (await service.quality({ from: TODAY - DAY_MS, to: TODAY, site: 'north' }, 'acme/south')).items,
    ).toEqual([]);
    // A month is judged on 15-minute means: the hour above 1 NTU is still one excursion of an hour.
    const month = await service.quality(
      { from: TODAY - 30 * DAY_MS, to: TODAY - 1, site: 'north' },
      'acme/north',
    );
    expect(month.resolutionMs).toBe(15 * MINUTE_MS);
    expect(month.items[1]!.excursions.map((e) => e.durationMs)).toEqual([HOUR_MS]);
  });

  it('checks the data quality of a site, a page of points at a time', async () => {
    const page = await service.dataQuality(
      { site: 'north', node: 'north-works', from: TODAY - DAY_MS, to: TODAY - 1, offset: 0, limit: 2 },
      'acme/north',
    );
    expect(page).toMatchObject({ site: 'north', total: 4, offset: 0 });
    expect(page!.items.map((i) => [i.point, i.basis])).toEqual([
      ['north.north-works.process.FT1_FLOW', 'raw'],
      ['north.north-works.process.FT1_VELOCITY', 'raw'],
    ]);
    expect(page!.items[0]).toMatchObject({
      expectedIntervalMs: MINUTE_MS,
      received: 1440,
      completenessPct: 100,
    });
    expect(page!.items[1]).toMatchObject({ received: 0, score: 0 });
    const turb = await service.dataQuality(
      {
        site: 'north',
        group: 'process',
        node: 'north-works',
        from: TODAY - DAY_MS,
        to: TODAY - 1,
        offset: 3,
        limit: 5,
      },
      'acme/north',
    );
    expect(turb!.items[0]).toMatchObject({ point: 'north.north-works.process.Q1_TURB', basis: '1m' });
    // Checked on minute means: the 10 minutes the analyser was bad are 10 bad minutes, not a gap.
    // The single 2.2 NTU reading lifts its minute's mean off the plateau: a spike.
    expect(turb!.items[0]).toMatchObject({
      bad: 10,
      gapCount: 0,
      received: 1440,
      stuckReadings: 0,
      spikeCount: 1,
      score: 99,
    });
  });

  it('takes districts from the config when listed', async () => {
    const configured = new StoreAnalyticsService({
      store,
      config: {
        project: 'acme/north',
        districts: [
          {
            id: 'north',
            name: 'North DMA',
            inflows: ['north.north-works.process.FT1_FLOW'],
            properties: 100,
          },
        ],
      },
    });
    const [north] = await configured.districts(undefined, NOW);
    expect(north).toMatchObject({
      name: 'North DMA',
      inflowPoints: ['north.north-works.process.FT1_FLOW'],
      properties: 100,
    });
    expect(north!.yesterday!.allowanceM3h).toBeCloseTo(0.17, 9);
    expect(() => analyticsSettings({ tzOffsetMinutes: 2000 })).toThrow(
      /WS_ERR_CONFIG_INVALID|tzOffsetMinutes/,
    );
  });
});
