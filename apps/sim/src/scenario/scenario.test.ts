import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@watershed/common/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSimConfig } from '../config.js';
import { startSimulator, type Simulator } from '../simulator.js';
import { durationSeconds } from './events.js';
import type { GroundTruthRecord } from './ground-truth.js';

let dir: string;
const sims: Simulator[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ws-sim-'));
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Runs a simulator at 60× for `minutes` simulated minutes and returns the readings every minute. */
async function play(
  opts: Parameters<typeof startSimulator>[0],
  minutes: number,
): Promise<Record<string, number | boolean>[]> {
  const clock = new FakeClock();
  const sim = await startSimulator({ clock, speed: 60, host: '127.0.0.1', modbusPort: 0, ...opts });
  sims.push(sim);
  const out = [sim.current('net3-plant')];
  for (let i = 0; i < minutes; i++) {
    await clock.advance(1000);
    out.push(sim.current('net3-plant'));
  }
  await sim.close();
  return out;
}

// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('scenario events', { timeout: 60_000 }, () => {
  it('parse durations', () => {
    expect(durationSeconds(90)).toBe(90);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('1d6h')).toBe(108_000);
    expect(() => durationSeconds('soon')).toThrow(/invalid time/);
  });

  it('inject a leak that lowers pressure at its dead end and record it as ground truth', async () => {
    const groundTruthFile = join(dir, 'truth', 'events.jsonl');
    const events = [
      { kind: 'leak' as const, node: '219', flow: 40, after: '10m', duration: '30m', note: 'burst main' },
    ];
    const base = await play({ seed: 3 }, 60);
    const leaky = await play({ seed: 3, events, groundTruthFile }, 60);
    // Same seed, same noise: before the leak the runs are identical; while it runs the dead end
    // loses pressure; after the repair it recovers but for the tanks' slightly changed levels.
    expect(leaky[5]).toEqual(base[5]);
    const drop = (i: number) =>
      (base[i]!['FAR_END_PRESS'] as number) - (leaky[i]!['FAR_END_PRESS'] as number);
    // 40 m³/h at the end of Net3's large mains costs only about 4 kPa (0.4 m of head).
    expect(drop(10)).toBe(0);
    expect(drop(30)).toBeGreaterThan(3);
    expect(Math.abs(drop(55))).toBeLessThan(1);

    const lines = (await readFile(groundTruthFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as GroundTruthRecord);
    expect(lines.map((l) => [l.phase, l.kind, l.network, l.element])).toEqual([
      ['start', 'leak', 'Net3', '219'],
      ['end', 'leak', 'Net3', '219'],
    ]);
    expect(lines[0]!.simTime).toBe(24 * 3600 + 600);
    expect(lines[0]!.simClock).toBe('1+00:10:00');
    expect(lines[0]!.details).toMatchObject({ flow: 40, note: 'burst main' });
    expect(lines[0]!.details['emitterCoefficient']).toBeGreaterThan(0);
    expect(lines[1]!.simTime).toBe(24 * 3600 + 2400);
  });

  it('trip a pump, then hand it back to automatic', async () => {
    const events = [{ kind: 'pump-trip' as const, link: '335', after: '5m', duration: '20m' }];
    const r = await play({ events }, 40);
    expect(r[0]!['P335_RUN']).toBe(true);
    expect(r[15]!['P335_RUN']).toBe(false);
    // Tank 1 is below the 17.1 ft start level, so automatic restarts the pump at its next step.
    expect(r[35]!['P335_RUN']).toBe(true);
  });

  it('can be injected while running, from the current simulated time', async () => {
    const clock = new FakeClock();
    const groundTruthFile = join(dir, 'injected.jsonl');
    const sim = await startSimulator({ clock, speed: 60, modbusPort: 0, groundTruthFile });
    sims.push(sim);
    for (let i = 0; i < 3; i++) await clock.advance(1000);
    sim.inject({ kind: 'pump-trip', link: '335', after: '1m' });
    expect(() => sim.inject({ kind: 'flood', node: '1' } as never)).toThrow(/invalid scenario event/);
    expect(() => sim.inject({ kind: 'leak', node: 'nowhere', flow: 1, after: 0 })).toThrow(/does not exist/);
    for (let i = 0; i < 10; i++) await clock.advance(1000);
    expect(sim.current('net3-plant')['P335_RUN']).toBe(false);
    await sim.close();
    const [line] = (await readFile(groundTruthFile, 'utf8')).trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({
      phase: 'start',
      kind: 'pump-trip',
      element: '335',
      simTime: 86_400 + 240,
    });
  });

  it('rejects an event on an element the network does not have', async () => {
    await expect(
      startSimulator({
        clock: new FakeClock(),
        modbusPort: 0,
        events: [{ kind: 'leak', node: 'nope', flow: 1, after: 0 }],
      }),
    ).rejects.toThrow(/node "nope" does not exist/);
  });
});

describe('loadSimConfig', () => {
  it('reads a scenario file with defaults and environment overrides', async () => {
    const file = join(dir, 'sim.yaml');
    await writeFile(
      file,
      [
        'speed: 60',
        "startTime: '05:30'",
        'events:',
        '  - { kind: leak, node: "219", flow: 12, after: 2h }',
        'groundTruthFile: truth.jsonl',
      ].join('\n'),
    );
    const cfg = loadSimConfig(file, { WATERSHED_SIM__SEED: '9' });
    expect(cfg).toMatchObject({
      speed: 60,
      startTime: '05:30',
      seed: 9,
      modbusPort: 5020,
      plants: ['net3-plant'],
      groundTruthFile: 'truth.jsonl',
    });
    expect(cfg.events).toEqual([{ kind: 'leak', node: '219', flow: 12, after: '2h' }]);
  });

  it('names the bad value and what was expected', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, ['speed: -1', 'startTime: 25:00', 'colour: blue'].join('\n'));
    const message = (() => {
      try {
        loadSimConfig(file, {});
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/speed: must be > 0/);
    expect(message).toMatch(/startTime: must match pattern/);
    expect(message).toMatch(/colour: no such key/);
  });
});
