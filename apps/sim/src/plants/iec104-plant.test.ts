/**
 * A plant served over IEC 60870-5-104, read and commanded by the gateway's own iec104 driver
 * from the served tag table: interrogation returns the simulated process, changes arrive
 * spontaneously with the tick's time tag, and commands (direct set-points, select-before-operate
 * pump commands) change the hydraulics.
 */
import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock, waitFor } from '@watershed/common/testing';
import { iec104Driver, type Iec104Driver } from '@watershed/driver-iec104';
import type { TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type ServedPlant, type Simulator } from '../simulator.js';
import { plantDefinition } from './catalog.js';
import { IOA_BASE, mapIec104 } from './iec104-plant.js';

describe('a plant exposed over IEC 60870-5-104', { timeout: 60_000 }, () => {
  let sim: Simulator;
  let clock: FakeClock;
  let plant: ServedPlant;
  let driver: Iec104Driver;
  let tags: TagRef[];
  const tagOf = (name: string): TagRef => tags.find((t) => t.name === name)!;

  /** Reads until every sample satisfies `ok` (the image follows the station over the link). */
  const readWhen = (wanted: TagRef[], ok: (s: Sample[]) => boolean): Promise<Sample[]> =>
    waitFor(
      async () => {
        const s = await driver.read(wanted);
        return ok(s) && s;
      },
      { timeoutMs: 5000, intervalMs: 10, message: 'samples from the outstation' },
    );

  beforeAll(async () => {
    clock = new FakeClock();
    sim = await startSimulator({
      clock,
      speed: 60,
      host: '127.0.0.1',
      modbusPort: 0,
      iec104Port: 0,
      plants: ['net3-plant'],
      protocols: { 'net3-plant': 'iec104' },
    });
    plant = sim.plants[0]!;
    tags = plant.tags.map((t) => ({ name: t.tag, address: t.address, dataType: t.dataType }));
    driver = iec104Driver.create(
      {
        host: plant.host,
        port: plant.port,
        commonAddress: plant.commonAddress!,
        t1Ms: 2000,
        t2Ms: 200,
        t3Ms: 5000,
        commandTimeoutMs: 3000,
        backoffMinMs: 20,
        backoffMaxMs: 200,
      },
      { clock: systemClock, logger: silentLogger() },
    );
    await driver.connect();
    await driver.connected();
  }, 60_000);
  afterAll(async () => {
    await driver?.close();
    await sim?.close();
  });

  it("describes itself with the driver's address syntax", () => {
    expect(plant).toMatchObject({ protocol: 'iec104', commonAddress: 1, host: '127.0.0.1' });
    expect(plant.port).toBeGreaterThan(0);
    const address = (tag: string) => plant.tags.find((t) => t.tag === tag)?.address;
    expect(address('P335_RUN')).toBe(`M_SP_NA_1:${IOA_BASE.single}`);
    expect(address('P335_FLOW')).toBe(`M_ME_NC_1:${IOA_BASE.measured}`);
    expect(address('P335_CMD')).toBe(`C_SC_NA_1:${IOA_BASE.singleCommand}:sbo`);
    expect(address('P335_SPEED_SP')).toBe(`C_SE_NC_1:${IOA_BASE.setpoint}`);
    const ioas = mapIec104(plantDefinition('net3-plant')).map((p) => p.ioa);
    expect(new Set(ioas).size).toBe(ioas.length);
  });

  it('answers the general interrogation with the simulated process', async () => {
    await driver.interrogate();
    const want = sim.current('net3-plant');
    const samples = await readWhen(tags, (s) => s.every((x) => x.quality === 'good'));
    expect(Object.fromEntries(tags.map((t, i) => [t.name, samples[i]!.value]))).toEqual(want);
  });

  it('sends changes spontaneously, time-tagged with the tick', async () => {
    const seen: [string, Sample][] = [];
    const sub = await driver.subscribe(tags, (name, s) => seen.push([name, s]));
    try {
      seen.length = 0;
      // Hand control of pump 335 to the operator and stop it: run status and flow change.
      await driver.write(tagOf('P335_CMD'), false);
      // Writes act within one hydraulic step (5 simulated minutes = 5 ticks at speed 60).
      const ticks: number[] = [];
      const stopped = () => seen.find(([n, s]) => n === 'P335_FLOW' && (s.value as number) < 50)?.[1];
      const flow = await waitFor(
        async () => {
          if (!stopped() && ticks.length < 10) {
            await clock.advance(1000);
            ticks.push(clock.now());
          }
          return stopped();
        },
        { timeoutMs: 5000, intervalMs: 20, message: 'a spontaneous report of the flow stopping' },
      );
      // The time tag is the tick's (CP56Time2a), not the time the master received it.
      expect(ticks).toContain(flow.ts);
      expect(flow.quality).toBe('good');
      // From about 2970 m³/h to sensor noise around zero.
      expect(sim.current('net3-plant')['P335_FLOW'] as number).toBeLessThan(50);
      const [run, cmd, auto] = await readWhen(
        [tagOf('P335_RUN'), tagOf('P335_CMD'), tagOf('P335_AUTO')],
        (s) => s[0]?.value === false,
      );
      expect([run?.value, cmd?.value, auto?.value]).toEqual([false, false, false]);
    } finally {
      await sub.close();
    }
  });

  it('executes a set-point command, and the hydraulics follow', async () => {
    await driver.write(tagOf('P335_CMD'), true);
    await driver.write(tagOf('P335_SPEED_SP'), 80);
    for (let i = 0; i < 6; i++) await clock.advance(1000);
    expect(sim.current('net3-plant')['P335_SPEED_SP']).toBe(80);
    const [sp, speed, flow] = await readWhen(
      [tagOf('P335_SPEED_SP'), tagOf('P335_SPEED'), tagOf('P335_FLOW')],
      (s) => s[1]?.value === sim.current('net3-plant')['P335_SPEED'],
    );
    expect(sp?.value).toBe(80);
    expect(speed?.value as number).toBeCloseTo(80, 0);
    expect(flow?.value as number).toBeGreaterThan(0);
  });

  it('refuses what the process refuses with a negative confirmation', async () => {
    await expect(driver.write(tagOf('P335_SPEED_SP'), 500)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_REJECTED',
    });
    await clock.advance(1000);
    expect(sim.current('net3-plant')['P335_SPEED_SP']).toBe(80);
  });
});
