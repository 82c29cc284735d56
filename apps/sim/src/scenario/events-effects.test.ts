import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { FakeClock, waitFor } from '@watershed/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HydraulicRun } from '../hydraulics/run.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { ScenarioEvent } from './events.js';
import { drawRandomEvents } from './random-events.js';
import { loadScenario } from './scenarios.js';

/** The small scenario's hill district alone (Modbus works, S7 tower): quick to start. */
function hill(): Parameters<typeof startSimulator>[0] {
  const small = loadScenario('small', {});
  return {
    ...small,
    districts: small.districts.filter((d) => d.id === 'hill'),
    stations: small.stations.filter((s) => s.district === 'hill'),
    concentrators: [],
    events: [],
    speed: 60,
    warmupHours: 1,
    modbusPort: 0,
    s7Port: 0,
    host: '127.0.0.1',
  };
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('scenario events on plants and chlorine', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-sim-events-'));
  const truthFile = join(dir, 'truth.jsonl');
  const clocks = [new FakeClock(), new FakeClock()];
  let twin: Simulator;
  let sim: Simulator;
  let port = 0;
  // Both simulators share seed and model: their difference is the events' effect, exactly.
  const history: { twin: Record<string, number | boolean>; sim: Record<string, number | boolean> }[] = [];

  beforeAll(async () => {
    twin = await startSimulator({ ...hill(), clock: clocks[0] });
    sim = await startSimulator({
      ...hill(),
      clock: clocks[1],
      groundTruthFile: truthFile,
      events: [
        {
          kind: 'sensor-fault',
          plant: 'hill-works',
          tag: 'P1_SUCT_PRESS',
          fault: 'stuck',
          after: 120,
          duration: 600,
        },
        {
          kind: 'sensor-fault',
          plant: 'hill-works',
          tag: 'FT1_FLOW',
          fault: 'spike',
          magnitude: 500,
          after: 120,
        },
        {
          kind: 'sensor-fault',
          plant: 'hill-works',
          tag: 'Q1_PH',
          fault: 'drift',
          magnitude: 0.6,
          after: 120,
          duration: 1200,
        },
        {
          kind: 'sensor-fault',
          plant: 'hill-works',
          tag: 'Q1_COND',
          fault: 'dropout',
          after: 120,
          duration: 600,
        },
        { kind: 'turbidity-excursion', plant: 'hill-works', peak: 3, after: 120, duration: '2h' },
        { kind: 'dosing-failure', plant: 'hill-works', after: 120, duration: '3h' },
        { kind: 'comm-outage', plant: 'hill-works', after: 120, duration: 300 },
      ],
    });
    port = sim.plants.find((p) => p.id === 'hill-works')!.port;
    expect(await refused(port)).toBe(false);
  });

  afterAll(async () => {
    await Promise.all([twin?.close(), sim?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const tick = async (): Promise<void> => {
    for (const c of clocks) await c.advance(1000);
    history.push({ twin: twin.current('hill-works'), sim: sim.current('hill-works') });
  };

  it('a plant outage closes its server and the end reopens it on the same port', async () => {
    for (let k = 0; k < 3; k++) await tick(); // to start + 180 s: the outage began at +120 s
    await waitFor(() => refused(port), { timeoutMs: 10_000 });
    for (let k = 0; k < 5; k++) await tick(); // +480 s: over
    await waitFor(async () => !(await refused(port)), { timeoutMs: 10_000 });
  });

  it('sensor faults: stuck holds, a spike is one sample, drift grows per hour, dropout reads NaN', async () => {
    for (let k = 0; k < 12; k++) await tick(); // up to +20 min
    const during = history.slice(2, 10); // ticks at +180 … +600 s: all faults active
    const stuck = new Set(during.map((h) => h.sim['P1_SUCT_PRESS']));
    expect(stuck.size).toBe(1);
    expect(new Set(during.map((h) => h.twin['P1_SUCT_PRESS'])).size).toBeGreaterThan(1);
    const first = history[1]!; // +120 s, the events' start
    expect((first.sim['FT1_FLOW'] as number) - (first.twin['FT1_FLOW'] as number)).toBeCloseTo(500, 0);
    for (const h of history.slice(2)) expect(h.sim['FT1_FLOW']).toBe(h.twin['FT1_FLOW']);
    const at = (k: number): number =>
      (history[k]!.sim['Q1_PH'] as number) - (history[k]!.twin['Q1_PH'] as number);
    // 0.6 pH per hour: 0.01 per simulated minute, one tick each.
    expect(at(11)).toBeCloseTo((0.6 * (11 - 1)) / 60, 2);
    expect(at(11)).toBeGreaterThan(at(3));
    for (const h of during) expect(h.sim['Q1_COND']).toBeNaN();
    // After its end (+720 s) a fault leaves the reading exactly as the twin's.
    const after = history[13]!;
    expect(after.sim['P1_SUCT_PRESS']).toBe(after.twin['P1_SUCT_PRESS']);
    expect(after.sim['Q1_COND']).toBe(after.twin['Q1_COND']);
  });

  it('a turbidity excursion raises the plant turbidity; a dosing failure starves the chlorine downstream', async () => {
    const last = history[history.length - 1]!;
    expect((last.sim['Q1_TURB'] as number) - (last.twin['Q1_TURB'] as number)).toBeGreaterThan(1);
    // An hour on: the contact tank's dosed water is used up (τ 30 min), the dosing pump stopped.
    for (let k = 0; k < 60; k++) await tick();
    const now = history[history.length - 1]!;
    expect(now.twin['Q1_CL'] as number).toBeGreaterThan(0.5);
    expect(now.sim['Q1_CL'] as number).toBeLessThan(0.2 * (now.twin['Q1_CL'] as number));
    expect(now.sim['D1_RATE']).toBe(0);
    expect(now.sim['D1_FAULT']).toBe(true);
    expect(now.twin['D1_FAULT']).toBe(false);
  });

  it('records every start and end in the ground truth', async () => {
    await sim.close();
    const lines = readFileSync(truthFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const starts = lines.filter((l) => l['phase'] === 'start').map((l) => l['kind']);
    expect(new Set(starts)).toEqual(
      new Set(['sensor-fault', 'turbidity-excursion', 'dosing-failure', 'comm-outage']),
    );
    expect(
      lines.find((l) => l['kind'] === 'sensor-fault' && l['element'] === 'hill-works.Q1_COND'),
    ).toMatchObject({
      network: 'hill',
      details: { fault: 'dropout' },
    });
    expect(lines.filter((l) => l['phase'] === 'end').map((l) => l['kind'])).toContain('comm-outage');
  });
});

describe('random events', () => {
  it('are drawn from the seed alone, valid, over the horizon', async () => {
    const small = loadScenario('small', {});
    // Plants only need their tag tables here; the stations' definitions come from the city.
    const { openCity } = await import('../city/open-city.js');
    const { resolveNetworksDir } = await import('../hydraulics/networks.js');
    const runs = new Map<string, HydraulicRun>();
    try {
      const city = await openCity({ ...small, warmupHours: 0 }, resolveNetworksDir(undefined), 0, runs);
      const plants = city.map((c) => c.definition);
      const a = drawRandomEvents({ perDay: 20, horizon: '2d' }, plants, 5);
      expect(a).toHaveLength(40);
      expect(drawRandomEvents({ perDay: 20, horizon: '2d' }, plants, 5)).toEqual(a);
      expect(drawRandomEvents({ perDay: 20, horizon: '2d' }, plants, 6)).not.toEqual(a);
      for (const e of a) expect(Value.Check(ScenarioEvent, e)).toBe(true);
      expect(new Set(a.map((e) => e.kind)).size).toBeGreaterThanOrEqual(2);
    } finally {
      for (const run of runs.values()) run.close();
    }
  });
});
