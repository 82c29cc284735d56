import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { modbusTcpDriver } from '@watershed/driver-modbus';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.js';

const started: Simulator[] = [];
async function start(opts: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const sim = await startSimulator({ host: '127.0.0.1', modbusPort: 0, ...opts });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

const M_PER_FT = 0.3048;

// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('startSimulator (Net3 plant)', { timeout: 60_000 }, () => {
  it('serves every tag of the plant with plausible values', async () => {
    const sim = await start({ clock: new FakeClock(), speed: 60, startTime: '06:00' });
    expect(sim.plants).toHaveLength(1);
    const plant = sim.plants[0]!;
    expect(plant).toMatchObject({
      id: 'net3-plant',
      site: 'net3',
      protocol: 'modbus-tcp',
      host: '127.0.0.1',
      unitId: 1,
    });
    expect(plant.port).toBeGreaterThan(0);
    expect(sim.simTime).toBe(30 * 3600); // 24 h warm-up + 06:00
    const v = sim.current('net3-plant');
    expect(Object.keys(v).sort()).toEqual(plant.tags.map((t) => t.tag).sort());
    // Tank levels stay between Net3's MinLevel and MaxLevel ([TANKS], ft).
    expect(v['T1_LEVEL']).toBeGreaterThanOrEqual(0.1 * M_PER_FT);
    expect(v['T1_LEVEL']).toBeLessThanOrEqual(32.1 * M_PER_FT);
    expect(v['T3_LEVEL']).toBeGreaterThanOrEqual(4 * M_PER_FT);
    expect(v['T3_LEVEL']).toBeLessThanOrEqual(35.5 * M_PER_FT);
    // The river's water surface is its fixed head, 220 ft, give or take the radar's noise.
    expect(v['RIVER_LEVEL'] as number).toBeCloseTo(220 * M_PER_FT, 1);
    // Chlorine: dosed at 1.2 mg/L, decays on the way, never negative.
    expect(v['CL_PLANT_OUT'] as number).toBeGreaterThan(1.1);
    expect(v['CL_PLANT_OUT'] as number).toBeLessThan(1.3);
    expect(v['CL_FAR_END'] as number).toBeGreaterThanOrEqual(0);
    expect(v['CL_FAR_END'] as number).toBeLessThan(v['CL_PLANT_OUT'] as number);
    // A running pump delivers flow; a stopped one reads (near) zero.
    for (const p of ['P335', 'P10']) {
      const running = v[`${p}_RUN`];
      expect(typeof running).toBe('boolean');
      if (running) expect(v[`${p}_FLOW`] as number).toBeGreaterThan(100);
      else expect(v[`${p}_FLOW`] as number).toBeLessThan(5);
    }
  });

  it('advances simulated time by `speed` seconds per tick and tells listeners', async () => {
    const clock = new FakeClock();
    const sim = await start({ clock, speed: 60, warmupHours: 0 });
    const ticks: number[] = [];
    sim.onTick((t) => ticks.push(t.simTime));
    const levels: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.advance(1000);
      levels.push(sim.current('net3-plant')['T1_LEVEL'] as number);
    }
    expect(ticks).toEqual([60, 120, 180, 240, 300]);
    expect(new Set(levels).size).toBeGreaterThan(1);
  });

  it('is reproducible with a seed and differs with another', async () => {
    const record = async (seed: number): Promise<Record<string, number | boolean>[]> => {
      const clock = new FakeClock();
      const sim = await start({ clock, speed: 600, seed, warmupHours: 1 });
      const out = [sim.current('net3-plant')];
      for (let i = 0; i < 10; i++) {
        await clock.advance(1000);
        out.push(sim.current('net3-plant'));
      }
      return out;
    };
    const a = await record(7);
    expect(await record(7)).toEqual(a);
    expect(await record(8)).not.toEqual(a);
  });

  it('validates its options against SimConfigSchema', async () => {
    await expect(startSimulator({ speed: 0, startTime: '7 am' })).rejects.toMatchObject({
      code: 'WS_ERR_CONFIG_INVALID',
      message: expect.stringMatching(/speed[\s\S]*startTime/) as unknown,
    });
    await expect(startSimulator({ plants: ['atlantis'] })).rejects.toMatchObject({
      code: 'WS_ERR_SIM_UNKNOWN_PLANT',
    });
  });

  it('serves over Modbus TCP exactly the values current() reports', async () => {
    const sim = await start({ clock: new FakeClock(), speed: 60, warmupHours: 1 });
    const plant = sim.plants[0]!;
    const driver = modbusTcpDriver.create(
      { host: plant.host, port: plant.port, timeoutMs: 15_000 },
      { clock: systemClock, logger: silentLogger() },
    );
    try {
      await driver.connect();
      const samples = await driver.read(
        plant.tags.map((t) => ({ name: t.tag, address: t.address, dataType: t.dataType })),
      );
      const current = sim.current('net3-plant');
      expect(samples.every((s) => s.quality === 'good')).toBe(true);
      expect(Object.fromEntries(plant.tags.map((t, i) => [t.tag, samples[i]!.value]))).toEqual(current);
    } finally {
      await driver.close();
    }
  });

  it('reads the same floats with mbpoll, an independent Modbus client', async () => {
    const sim = await start({ clock: new FakeClock(), speed: 60, warmupHours: 1 });
    const plant = sim.plants[0]!;
    const floats = plant.tags.filter((t) => t.dataType === 'float' && t.address.startsWith('1!3'));
    // -B: big-endian word order, i.e. Neuron's #LL; -r: 1-based first register; -1: poll once;
    // -o: response timeout in seconds.
    const args = ['-m', 'tcp', '-a', '1', '-p', String(plant.port), '-o', '5', '-B', '-1'];
    const { stdout } = await promisify(execFile)('/usr/bin/mbpoll', [
      ...args,
      ...['-t', '3:float', '-r', '1', '-c', String(floats.length)],
      plant.host,
    ]);
    const read = [...stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)].map((m) => Number(m[2]));
    const current = sim.current('net3-plant');
    expect(read).toHaveLength(floats.length);
    // mbpoll prints six significant digits: a relative difference of at most 5e-6.
    floats.forEach((t, i) => {
      const want = current[t.tag] as number;
      expect(Math.abs(read[i]! - want)).toBeLessThanOrEqual(5e-6 * Math.max(1, Math.abs(want)));
    });
  });
});
