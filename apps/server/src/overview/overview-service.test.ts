import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmService, parseAlarmRule } from '@watershed/alarms';
import { loadConfig } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Point, Quantity } from '@watershed/model';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverviewConfig } from './config.js';
import { IntervalTracker } from './interval-tracker.js';
import { unconfiguredMap } from './map-builder.js';
import { ServerOverview } from './overview-service.js';

const MIDNIGHT = Date.parse('2026-11-28T00:00:00Z');
const NOW = MIDNIGHT + 6 * 3_600_000;

function point(id: string, quantity: Quantity, unit: string): Point {
  const [site, node, group, tag] = id.split('.') as [string, string, string, string];
  return { id, site, node, group, tag, quantity, unit };
}

/** A works (outlet flow metered twice, quality panel) and a network zone (pressure loggers). */
const POINTS: Point[] = [
  point('works.plc.process.FT1_FLOW', 'flow', 'm3/h'),
  point('works.plc.process.P1_FLOW', 'flow', 'm3/h'),
  point('works.plc.process.Q1_CL', 'chlorine', 'mg/L'),
  point('works.plc.process.Q1_TURB', 'turbidity', 'NTU'),
  point('works.plc.process.Q1_PH', 'ph', 'pH'),
  point('works.plc.process.CL_FAR_END', 'chlorine', 'mg/L'),
  point('zone.rtu.process.PT1_PRESS', 'pressure', 'kPa'),
  point('zone.rtu.process.PT1_PRESS_MIN', 'pressure', 'kPa'),
  point('zone.rtu.process.PT2_PRESS', 'pressure', 'MPa'),
  point('zone.rtu.process.PT3_PRESS', 'pressure', 'kPa'),
  point('zone.rtu.process.PT4_PRESS', 'pressure', 'kPa'),
  point('zone.rtu.process.CL_END', 'chlorine', 'mg/L'),
];

describe('ServerOverview on a real embedded store and alarm service', () => {
  let dir: string;
  let store: Store;
  let alarms: AlarmService;
  let overview: ServerOverview;
  const clock = new FakeClock(NOW);
  const intervals = new IntervalTracker();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-overview-'));
    // The store batches on its own (real) clock; the overview and the alarms run on the fake one.
    store = await openEmbeddedStore({ dir });
    await store.upsertPoints(POINTS);
    const rows: SampleRow[] = [];
    // The works' outlet has run at 360 m³/h since midnight, a sample every 10 s; the pump
    // flow of the same water must not be counted a second time.
    for (let ts = MIDNIGHT; ts <= NOW; ts += 10_000) {
      rows.push({ point: 'works.plc.process.FT1_FLOW', ts, value: 360, quality: 'good' });
      rows.push({ point: 'works.plc.process.P1_FLOW', ts, value: 999, quality: 'good' });
    }
    const at = (p: string, value: number, ago = 2000, quality: SampleRow['quality'] = 'good') => [
      { point: `${p}`, ts: NOW - ago - 1000, value, quality },
      { point: `${p}`, ts: NOW - ago, value, quality },
    ];
    rows.push(
      ...at('works.plc.process.Q1_CL', 1.0), // 出厂水 0.3–2 mg/L: within
      ...at('works.plc.process.Q1_TURB', 1.5), // > 1 NTU: outside
      ...at('works.plc.process.Q1_PH', 7.2), // within
      ...at('works.plc.process.CL_FAR_END', 0.2), // the works' far-end analyser: 末梢水 ≥ 0.05, within
      ...at('zone.rtu.process.PT1_PRESS', 310), // ≥ 280 kPa: within
      ...at('zone.rtu.process.PT1_PRESS_MIN', 100), // the minute's minimum: not service pressure
      ...at('zone.rtu.process.PT2_PRESS', 0.25), // 250 kPa: low
      ...at('zone.rtu.process.PT3_PRESS', 0, 2000, 'bad'), // a failed read: not counted either way
      ...at('zone.rtu.process.PT4_PRESS', 400, 60_000), // stale: 1 s interval, silent for a minute
      ...at('zone.rtu.process.CL_END', 0.02), // 末梢水 ≥ 0.05 mg/L: outside
    );
    await store.writeSamples(rows);
    intervals.observe(rows);

    alarms = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    const rule = (
      id: string,
      project: string,
      pointId: string,
      severity: 'major' | 'critical',
      limit: number,
    ) =>
      parseAlarmRule({
        id,
        project,
        name: id,
        point: pointId,
        severity,
        enabled: true,
        condition: { kind: 'low', limit, deadband: 0 },
      });
    await alarms.putRule(
      rule('north.low-pressure', 'acme/north', 'zone.rtu.process.PT2_PRESS', 'major', 0.28),
    );
    await alarms.putRule(rule('south.low-cl', 'acme/south', 'zone.rtu.process.CL_END', 'critical', 0.05));
    alarms.ingestRows(
      rows.filter((r) => r.point === 'zone.rtu.process.PT2_PRESS' || r.point === 'zone.rtu.process.CL_END'),
    );

    const config = loadConfig({
      schema: OverviewConfig,
      value: {
        timeZone: 'UTC',
        map: {
          districts: [{ id: 'north', network: 'L-TOWN' }],
          sites: [{ site: 'works', district: 'north', node: 'T1', kind: 'treatment-works', name: 'Works' }],
        },
        completeness: { defaultIntervalMs: 1000 },
      },
      label: 'overview',
    });
    overview = new ServerOverview({
      store,
      config,
      timeZone: 'UTC',
      map: unconfiguredMap(),
      intervals,
      clock,
      alarms,
    });
  });
  afterAll(async () => {
    await alarms.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('integrates the outlet flow since local midnight, once per works', async () => {
    const k = await overview.kpis(undefined);
    expect(k.dayStart).toBe(MIDNIGHT);
    expect(k.supply.points).toEqual(['works.plc.process.FT1_FLOW']);
    expect(k.supply.volumeM3).toBeCloseTo(360 * 6, 0);
    expect(k.supply.coverage).toBeCloseTo(1, 2);
    expect(k.supply.flowM3h).toBe(360);
  });

  it('counts service pressures in the band, not extremes, failed reads or silent points', async () => {
    const { pressure } = await overview.kpis(undefined);
    expect(pressure).toMatchObject({ within: 1, low: 1, high: 0, total: 2, ratio: 0.5, minKpa: 280 });
    expect(pressure.basis).toMatch(/GB 50013/);
  });

  it("checks quality against GB 5749-2022 by role: the works' outlet and the network's end", async () => {
    const { quality } = await overview.kpis(undefined);
    expect(quality.byQuantity).toEqual({
      chlorine: { within: 2, total: 3, ratio: 2 / 3 },
      turbidity: { within: 0, total: 1, ratio: 0 },
      ph: { within: 1, total: 1, ratio: 1 },
    });
    expect(quality).toMatchObject({ within: 3, total: 5, ratio: 0.6 });
  });

  it('counts active alarms by severity for the asking project only', async () => {
    const north = await overview.kpis('acme/north');
    expect(north.alarms).toEqual({
      available: true,
      active: 1,
      unacknowledged: 1,
      bySeverity: { critical: 0, major: 1, minor: 0, warning: 0 },
    });
    const south = await overview.kpis('acme/south');
    expect(south.alarms.bySeverity).toEqual({ critical: 1, major: 0, minor: 0, warning: 0 });
    expect(south.sites.find((s) => s.site === 'zone')?.alarms.critical).toBe(1);
    expect(south.sites.find((s) => s.site === 'zone')?.alarms.major).toBe(0);
    const all = await overview.kpis(undefined);
    expect(all.alarms.active).toBe(2);
  });

  it('counts completeness as good samples within 3× each point’s interval', async () => {
    const { completeness } = await overview.kpis(undefined);
    // Fresh: the flows (10 s interval) and the panels and loggers (1 s, last seen 2 s ago);
    // PT3's newest read failed; PT4 has been silent for a minute.
    expect(completeness).toEqual({ within: 10, total: 12, ratio: 10 / 12, stale: 1, bad: 1, staleFactor: 3 });
    const zone = (await overview.kpis(undefined)).sites.find((x) => x.site === 'zone');
    expect(zone).toMatchObject({ points: 6, fresh: 4 });
  });

  it('lists the map sites first with their names, then the others, each with key points', async () => {
    const { sites } = await overview.kpis(undefined);
    expect(sites.map((s) => s.site)).toEqual(['works', 'zone']);
    expect(sites[0]).toMatchObject({
      key: 'works',
      site: 'works',
      name: 'Works',
      kind: 'treatment-works',
      district: 'north',
      points: 6,
    });
    expect(sites[0]!.keyPoints.map((p) => p.id)).toEqual([
      'works.plc.process.FT1_FLOW',
      'works.plc.process.Q1_CL',
      'works.plc.process.Q1_TURB',
    ]);
    expect(sites[1]!.keyPoints[0]).toEqual({
      id: 'zone.rtu.process.PT1_PRESS',
      quantity: 'pressure',
      unit: 'kPa',
    });
  });
  it('keeps the settled total (runs last: moves the clock) when asked again later, reading only the new minutes', async () => {
    await store.writeSamples([
      { point: 'works.plc.process.FT1_FLOW', ts: NOW + 60_000, value: 360, quality: 'good' },
    ]);
    await clock.advance(60_000);
    const k = await overview.kpis(undefined);
    expect(k.supply.volumeM3).toBeCloseTo(360 * (6 + 1 / 60), 0);
  });
});
