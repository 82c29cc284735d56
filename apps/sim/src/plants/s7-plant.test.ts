/**
 * A plant served over S7 (our own S7 server), read and written by the gateway's s7 driver from
 * the served tag table: reads return the simulated process, and a write to a set-point changes
 * the hydraulics; a value the process refuses is refused on the wire and changes nothing.
 */
import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import { s7Driver, type S7Driver } from '@watershed/driver-s7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type ServedPlant, type Simulator } from '../simulator.js';

describe('a plant exposed over S7', { timeout: 60_000 }, () => {
  let sim: Simulator;
  let clock: FakeClock;
  let plant: ServedPlant;
  let driver: S7Driver;
  let tags: TagRef[];
  const tagOf = (name: string): TagRef => tags.find((t) => t.name === name)!;
  /** The served value: REALs are single precision. */
  const served = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : v);

  beforeAll(async () => {
    clock = new FakeClock();
    sim = await startSimulator({
      clock,
      speed: 60,
      host: '127.0.0.1',
      modbusPort: 0,
      s7Port: 0,
      plants: ['net3-plant'],
      protocols: { 'net3-plant': 's7' },
    });
    plant = sim.plants[0]!;
    tags = plant.tags.map((t) => ({ name: t.tag, address: t.address, dataType: t.dataType }));
    driver = s7Driver.create(
      { host: plant.host, port: plant.port, timeoutMs: 2000, backoffMinMs: 20, backoffMaxMs: 200 },
      { clock: systemClock, logger: silentLogger() },
    );
    await driver.connect();
  }, 60_000);
  afterAll(async () => {
    await driver?.close();
    await sim?.close();
  });

  it("describes itself with the driver's address syntax, readings in DB1 and commands in DB2", () => {
    expect(plant).toMatchObject({ protocol: 's7', host: '127.0.0.1' });
    expect(tagOf('P335_FLOW').address).toMatch(/^DB1\.DBD\d+:REAL$/);
    expect(tagOf('P335_CMD').address).toMatch(/^DB2\.DBX\d+\.0$/);
    expect(tagOf('P335_SPEED_SP').address).toMatch(/^DB2\.DBD\d+:REAL$/);
    expect(new Set(tags.map((t) => t.address)).size).toBe(tags.length);
  });

  it('serves the simulated process', async () => {
    await clock.advance(1000);
    const samples = await driver.read(tags);
    const want = sim.current('net3-plant');
    expect(samples.every((s) => s.quality === 'good')).toBe(true);
    expect(Object.fromEntries(tags.map((t, i) => [t.name, samples[i]!.value]))).toEqual(
      Object.fromEntries(Object.entries(want).map(([k, v]) => [k, served(v)])),
    );
  });

  it('turns a written set-point into a command, and the hydraulics follow', async () => {
    await driver.write(tagOf('P335_CMD'), true);
    await driver.write(tagOf('P335_SPEED_SP'), 80);
    for (let i = 0; i < 6; i++) await clock.advance(1000);
    expect(sim.current('net3-plant')['P335_SPEED_SP']).toBe(80);
    const [sp, speed] = await driver.read([tagOf('P335_SPEED_SP'), tagOf('P335_SPEED')]);
    expect(sp?.value).toBe(80);
    expect(speed?.value as number).toBeCloseTo(80, 0);
  });

  it('refuses what the process refuses', async () => {
    await expect(driver.write(tagOf('P335_SPEED_SP'), 500)).rejects.toMatchObject({ code: 'WS_ERR_S7_ITEM' });
    await clock.advance(1000);
    expect(sim.current('net3-plant')['P335_SPEED_SP']).toBe(80);
    await expect(
      driver.write({ name: 'flow', address: tagOf('P335_FLOW').address, dataType: 'float' }, 1),
    ).rejects.toMatchObject({
      code: 'WS_ERR_S7_ITEM',
    });
  });
});
