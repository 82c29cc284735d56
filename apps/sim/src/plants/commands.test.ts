import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { modbusTcpDriver } from '@watershed/driver-modbus';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator.js';

/*
 * Writes from a Modbus client change the hydraulics within one hydraulic step (300 s simulated,
 * 5 ticks at speed 60). At the start of day 1 (24 h warm-up, 00:00) Net3's river pump 335 runs
 * and the lake pump 10 is off (its schedule is 01:00–15:00).
 */
// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('Net3 plant commands over Modbus', { timeout: 60_000 }, () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('stops, restarts at a set speed and hands back to automatic', async () => {
    const clock = new FakeClock();
    sim = await startSimulator({ clock, speed: 60, host: '127.0.0.1', modbusPort: 0 });
    const plant = sim.plants[0]!;
    const tag = (name: string) => {
      const t = plant.tags.find((x) => x.tag === name)!;
      return { name: t.tag, address: t.address, dataType: t.dataType };
    };
    const now = () => sim!.current('net3-plant');
    const step = async () => {
      for (let i = 0; i < 6; i++) await clock.advance(1000);
    };
    const driver = modbusTcpDriver.create(
      { host: plant.host, port: plant.port, timeoutMs: 15_000 },
      { clock: systemClock, logger: silentLogger() },
    );
    try {
      await driver.connect();
      expect(now()).toMatchObject({ P335_RUN: true, P335_CMD: true, P335_AUTO: true, P335_SPEED_SP: 100 });
      const fullSpeedFlow = now()['P335_FLOW'] as number;
      expect(fullSpeedFlow).toBeGreaterThan(2000);

      await driver.write(tag('P335_CMD'), false);
      await step();
      expect(now()).toMatchObject({ P335_RUN: false, P335_CMD: false, P335_AUTO: false, P335_SPEED: 0 });
      expect(now()['P335_FLOW'] as number).toBeLessThan(10);
      // Manual means manual: tank 1 is below its 17.1 ft start level, so in automatic the level
      // control would restart the pump at the next step; an hour later it is still off.
      for (let i = 0; i < 10; i++) await step();
      expect(now()['P335_RUN']).toBe(false);

      await driver.write(tag('P335_SPEED_SP'), 80);
      await driver.write(tag('P335_CMD'), true);
      await step();
      expect(now()).toMatchObject({ P335_RUN: true, P335_CMD: true, P335_SPEED_SP: 80, P335_SPEED: 80 });
      const reducedFlow = now()['P335_FLOW'] as number;
      expect(reducedFlow).toBeGreaterThan(500);
      expect(reducedFlow).toBeLessThan(fullSpeedFlow - 300);

      await driver.write(tag('P335_AUTO'), true);
      await step();
      expect(now()['P335_AUTO']).toBe(true);
      // Read back over the wire what a gateway would see.
      const [auto, sp] = await driver.read([tag('P335_AUTO'), tag('P335_SPEED_SP')]);
      expect(auto?.value).toBe(true);
      expect(sp?.value).toBe(80);
    } finally {
      await driver.close();
    }
  });

  it('rejects a speed outside 0–120 % and keeps the setpoint', async () => {
    const clock = new FakeClock();
    sim = await startSimulator({ clock, speed: 60, host: '127.0.0.1', modbusPort: 0, warmupHours: 1 });
    const plant = sim.plants[0]!;
    const t = plant.tags.find((x) => x.tag === 'P10_SPEED_SP')!;
    const driver = modbusTcpDriver.create(
      { host: plant.host, port: plant.port, timeoutMs: 15_000 },
      { clock: systemClock, logger: silentLogger() },
    );
    try {
      await driver.connect();
      await driver.write({ name: t.tag, address: t.address, dataType: t.dataType }, 150);
      await clock.advance(1000);
      expect(sim.current('net3-plant')['P10_SPEED_SP']).toBe(100);
    } finally {
      await driver.close();
    }
  });
});
