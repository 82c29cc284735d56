import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { modbusTcpDriver } from '@watershed/driver-modbus';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../scenario/events.js';
import { startSimulator, type Simulator } from '../simulator.js';

// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('L-Town plant beside Net3', { timeout: 60_000 }, () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('serves both plants on their own ports and obeys a PRV setpoint written over Modbus', async () => {
    const clock = new FakeClock();
    sim = await startSimulator({
      clock,
      speed: 60,
      host: '127.0.0.1',
      modbusPort: 0,
      plants: ['net3-plant', 'ltown-dma'],
    });
    expect(sim.plants.map((p) => p.id)).toEqual(['net3-plant', 'ltown-dma']);
    expect(sim.plants[0]!.port).not.toBe(sim.plants[1]!.port);
    const ltown = sim.plants[1]!;
    const now = () => sim!.current('ltown-dma');
    // PRV-1 holds its outlet at 40 m of pressure (392 kPa) above n300.
    expect(now()['PRV1_SP']).toBeCloseTo(392.27, 2);
    expect(now()['PRV1_OUT_PRESS'] as number).toBeGreaterThan(385);
    expect(now()['PRV1_OUT_PRESS'] as number).toBeLessThan(400);
    expect(now()['R1_INLET_FLOW'] as number).toBeGreaterThan(10);

    const sp = ltown.tags.find((t) => t.tag === 'PRV1_SP')!;
    const driver = modbusTcpDriver.create(
      { host: ltown.host, port: ltown.port, timeoutMs: 15_000 },
      { clock: systemClock, logger: silentLogger() },
    );
    try {
      await driver.connect();
      // Raise it: lowering it below what the district's other feeds deliver would just shut the PRV.
      await driver.write({ name: sp.tag, address: sp.address, dataType: sp.dataType }, 440);
    } finally {
      await driver.close();
    }
    for (let i = 0; i < 6; i++) await clock.advance(1000);
    expect(now()['PRV1_SP']).toBe(440);
    expect(now()['PRV1_OUT_PRESS'] as number).toBeGreaterThan(435);
    expect(now()['PRV1_OUT_PRESS'] as number).toBeLessThan(445);
  });

  it('shows a scenario leak in L-Town on the reservoir inlet flows', async () => {
    const run = async (events: ScenarioEvent[]) => {
      const clock = new FakeClock();
      const s = await startSimulator({
        clock,
        speed: 60,
        modbusPort: 0,
        plants: ['ltown-dma'],
        startTime: '02:00',
        warmupHours: 0,
        events,
      });
      for (let i = 0; i < 30; i++) await clock.advance(1000);
      const v = s.current('ltown-dma');
      await s.close();
      return (v['R1_INLET_FLOW'] as number) + (v['R2_INLET_FLOW'] as number);
    };
    const base = await run([]);
    const leaky = await run([{ kind: 'leak', node: 'n310', flow: 10, after: '5m' }]);
    // Same seed, same noise: the difference is the leak's outflow, about 10 m³/h.
    expect(leaky - base).toBeGreaterThan(9);
    expect(leaky - base).toBeLessThan(11);
  });
});
