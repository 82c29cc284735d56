import { describe, expect, it } from 'vitest';
import { resolveNetworksDir } from '../hydraulics/networks.js';
import type { HydraulicRun } from '../hydraulics/run.js';
import { mapIec104 } from '../plants/iec104-plant.js';
import { PlantRuntime, type PointValue } from '../plants/plant-runtime.js';
import { mapPlant } from '../plants/register-map.js';
import { mapS7 } from '../plants/s7-plant.js';
import { loadScenario, scenarioFile } from '../scenario/scenarios.js';
import { openCity, type CityPlant } from './open-city.js';

const dir = resolveNetworksDir(undefined);

async function withCity<T>(
  config: ReturnType<typeof loadScenario>,
  use: (city: CityPlant[], runs: Map<string, HydraulicRun>) => T,
): Promise<T> {
  const runs = new Map<string, HydraulicRun>();
  try {
    const simStart = config.warmupHours * 3600 + 6 * 3600;
    return use(await openCity(config, dir, simStart, runs), runs);
  } finally {
    for (const run of runs.values()) run.close();
  }
}

/** Samples every plant at `ticks` consecutive seconds from the runs' current time. */
function sampleCity(
  city: readonly CityPlant[],
  runtimes: readonly PlantRuntime[],
  runs: Map<string, HydraulicRun>,
  from: number,
  ticks: number,
): Record<string, PointValue>[] {
  const out: Record<string, PointValue>[] = [];
  for (let n = 1; n <= ticks; n++) {
    for (const run of runs.values()) run.advanceTo(from + n);
    runtimes.forEach((r) => out.push({ ...r.sample(from + n, n) }));
  }
  expect(out).toHaveLength(city.length * ticks);
  return out;
}

describe('the reference deployment (scenarios/reference.yaml)', { timeout: 120_000 }, () => {
  const config = loadScenario('reference', {});

  it('describes 26 plants in six districts on four protocols and at least 5,000 meters', () => {
    expect(scenarioFile('reference')).toMatch(/scenarios\/reference\.yaml$/);
    expect(config.stations.length).toBeGreaterThanOrEqual(26);
    expect(new Set(config.districts.map((d) => d.network))).toEqual(
      new Set(['L-TOWN', 'Net3', 'Net1', 'Net6']),
    );
    const mix = new Map<string, number>();
    for (const s of config.stations) mix.set(s.protocol, (mix.get(s.protocol) ?? 0) + 1);
    // A mixed estate: every protocol at several sites, none more than a third of them.
    for (const p of ['modbus-tcp', 'opcua', 'iec104', 's7']) {
      expect(mix.get(p) ?? 0, p).toBeGreaterThanOrEqual(5);
      expect(mix.get(p) ?? 0, p).toBeLessThanOrEqual(Math.ceil(config.stations.length / 3));
    }
    const cjt188 = config.concentrators.reduce((n, c) => n + c.count, 0);
    const nbiot = config.vendorMeters.reduce((n, v) => n + v.count, 0);
    expect(cjt188 + nbiot).toBeGreaterThanOrEqual(5000);
    expect(cjt188).toBeGreaterThan(0);
    expect(new Set(config.vendorMeters.map((v) => v.vendor))).toEqual(new Set(['a', 'b', 'c']));
    expect(new Set(config.vendorMeters.map((v) => v.transport))).toEqual(new Set(['mqtt', 'http']));
  });

  it('builds at least 30,000 points whose tables every protocol accepts, same tags for any seed, noise by seed', async () => {
    // A short warm-up: the tag tables do not depend on it.
    await withCity({ ...config, warmupHours: 0 }, (city, runs) => {
      expect(city.length).toBeGreaterThanOrEqual(26);
      const points = city.reduce((n, c) => n + c.definition.points.length, 0);
      expect(points).toBeGreaterThanOrEqual(30_000);
      for (const { definition, protocol } of city) {
        // Every table is laid out by its protocol's mapper (which rejects clashes and bad names).
        expect(mapPlant(definition)).toHaveLength(definition.points.length);
        if (protocol === 's7') expect(mapS7(definition)).toHaveLength(definition.points.length);
        if (protocol === 'iec104') expect(mapIec104(definition)).toHaveLength(definition.points.length);
        // Points beyond the hydraulics: motor current, temperatures, energy counters, loggers.
        const tags = new Set(definition.points.map((p) => p.tag));
        if (definition.id.includes('booster')) {
          for (const t of [
            'P1_CURRENT',
            'P1_WDG_U_TEMP',
            'P1_ENERGY',
            'P1_STATUS',
            'SITE_WATCHDOG',
            'PT1_PRESS',
          ])
            expect(tags.has(t), `${definition.id} ${t}`).toBe(true);
        }
      }
      const from = runs.values().next().value!.prev.time;
      const a = sampleCity(
        city,
        city.map((c) => new PlantRuntime(c.definition, c.run, 7)),
        runs,
        from,
        2,
      );
      // Same seed, fresh runtimes on the same model state: identical readings, point for point.
      const again = city.map((c) => new PlantRuntime(c.definition, c.run, 7));
      const other = city.map((c) => new PlantRuntime(c.definition, c.run, 8));
      let differing = 0;
      city.forEach((c, k) => {
        const t = from + 2;
        again[k]!.sample(t - 1, 1);
        other[k]!.sample(t - 1, 1);
        expect(again[k]!.sample(t, 2), c.definition.id).toEqual(a[city.length + k]);
        const o = other[k]!.sample(t, 2);
        for (const [tag, v] of Object.entries(o)) if (v !== a[city.length + k]![tag]) differing++;
      });
      // Another seed moves the noisy readings (most analogue points), not the tables.
      expect(differing).toBeGreaterThan(points / 3);
    });
  });

  it('derives plausible equipment readings from the hydraulic state', async () => {
    await withCity({ ...loadScenario('small', {}), warmupHours: 1 }, (city, runs) => {
      const works = city.find((c) => c.definition.id === 'hill-works')!;
      const runtime = new PlantRuntime(works.definition, works.run, 1);
      const from = works.run.prev.time;
      let running: Record<string, PointValue> | undefined;
      // Net1's pump 9 runs most of the day; look over a few hours for a running sample.
      for (let n = 1; n <= 48 && !running; n++) {
        const t = from + n * 300;
        for (const run of runs.values()) run.advanceTo(t);
        const v = runtime.sample(t, n);
        if (v['P1_RUN'] === true) running = { ...v };
      }
      expect(running, 'pump 9 ran').toBeDefined();
      const v = running!;
      const flow = v['P1_FLOW'] as number;
      const head = v['P1_HEAD'] as number;
      expect(flow).toBeGreaterThan(50);
      expect(head).toBeGreaterThan(10);
      // Electrical power ≥ water power ρgQH (efficiency ≤ 1), current ≈ P / (√3 U cos φ).
      const kw = v['P1_POWER'] as number;
      expect(kw).toBeGreaterThan(((flow / 3600) * head * 9.81) / 1.0);
      const amps = (kw * 1000) / (Math.sqrt(3) * 400 * (v['P1_PF'] as number));
      expect(v['P1_CURRENT'] as number).toBeGreaterThan(amps * 0.9);
      expect(v['P1_CURRENT'] as number).toBeLessThan(amps * 1.1);
      // A running motor is warmer than the air around it; its status word says running (b1).
      expect(v['P1_WDG_U_TEMP'] as number).toBeGreaterThan(v['SITE_AMBIENT_TEMP'] as number);
      expect(((v['P1_STATUS'] as number) & 2) !== 0).toBe(true);
      expect(Number.isInteger(v['P1_ENERGY'])).toBe(true);
    });
  });
});
