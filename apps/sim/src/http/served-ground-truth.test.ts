/**
 * The ground-truth endpoint started with the simulator: a scripted leak appears in the events,
 * in the file, and as a true outflow series that follows the model's pressure at the node.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@watershed/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruthRecord } from '../scenario/ground-truth.js';
import { startSimulator, type Simulator } from '../simulator.js';

describe('the simulator serving its ground truth', { timeout: 60_000 }, () => {
  let dir: string;
  let sim: Simulator;
  let clock: FakeClock;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-sim-gt-'));
    file = join(dir, 'truth.jsonl');
    clock = new FakeClock();
    sim = await startSimulator({
      clock,
      speed: 60,
      modbusPort: 0,
      groundTruthPort: 0,
      groundTruthFile: file,
      plants: ['net3-plant'],
      events: [{ kind: 'leak', node: '219', flow: 40, after: '2m', duration: '5m' }],
    });
    // Ten simulated minutes: the leak starts at 2 min and ends at 7 min.
    for (let i = 0; i < 10; i++) await clock.advance(1000);
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the events the file records', async () => {
    expect(sim.groundTruth?.url).toBe(`http://127.0.0.1:${sim.groundTruth?.port}`);
    const res = await fetch(`${sim.groundTruth!.url}/ground-truth/events?type=leak`);
    const events = (await res.json()) as GroundTruthRecord[];
    expect(events.map((e) => [e.phase, e.element, e.network])).toEqual([
      ['start', '219', 'Net3'],
      ['end', '219', 'Net3'],
    ]);
    await sim.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as GroundTruthRecord)).toEqual(events);
  });
});

describe('the true leak outflow series of a running simulator', { timeout: 60_000 }, () => {
  it('is about the leak flow while it lasts and zero after', async () => {
    const clock = new FakeClock();
    const sim = await startSimulator({
      clock,
      speed: 60,
      modbusPort: 0,
      groundTruthPort: 0,
      plants: ['net3-plant'],
      events: [{ kind: 'leak', node: '219', flow: 40, after: '2m', duration: '5m' }],
    });
    try {
      for (let i = 0; i < 10; i++) await clock.advance(1000);
      const res = await fetch(`${sim.groundTruth!.url}/ground-truth/leaks?district=Net3`);
      const { points } = (await res.json()) as { points: { ts: number; simTime: number; flow: number }[] };
      expect(points.length).toBeGreaterThanOrEqual(6);
      const during = points.filter((p) => p.flow > 0);
      expect(during.length).toBeGreaterThanOrEqual(4);
      // Sized for 40 m³/h at the start pressure; the leak itself lowers the pressure a little.
      for (const p of during) expect(p.flow).toBeGreaterThan(30);
      for (const p of during) expect(p.flow).toBeLessThanOrEqual(40.5);
      expect(points.at(-1)?.flow).toBe(0);
      expect(points.every((p, i) => i === 0 || p.ts > points[i - 1]!.ts)).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
