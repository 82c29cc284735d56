/**
 * The master driver against our outstation on loopback: interrogation, spontaneous time-tagged
 * data, quality flags, commands with confirmation and termination, and recovery after the
 * outstation restarts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import { QDS } from './codec/elements.js';
import type { Iec104Config } from './config.js';
import type { Iec104Driver } from './driver.js';
import { iec104Driver } from './module.js';
import { startIec104Outstation, type Iec104OutstationOptions } from './server/outstation.js';
import type { OutstationCommand, OutstationPoint } from './server/points.js';

const POINTS: OutstationPoint[] = [
  { ioa: 16385, type: 'M_ME_NC_1', value: 2.5 },
  { ioa: 16386, type: 'M_ME_NB_1', value: -120 },
  { ioa: 16387, type: 'M_ME_NA_1', value: 0.25 },
  { ioa: 1001, type: 'M_SP_NA_1', value: true },
  { ioa: 1002, type: 'M_DP_NA_1', value: 1 },
  { ioa: 4001, type: 'M_IT_NA_1', value: 123456 },
];
const tag = (name: string, address: string, dataType: TagRef['dataType'] = 'float'): TagRef => ({
  name,
  address,
  dataType,
});
const FLOW = tag('flow', 'M_ME_NC_1:16385');
const PUMP = tag('pump', 'M_SP_NA_1:1001', 'bool');
const VALVE = tag('valve', 'M_DP_NA_1:1002', 'bool');
const TAGS = [FLOW, tag('head', 'M_ME_NB_1:16386', 'int16'), tag('pos', 'M_ME_NA_1:16387'), PUMP, VALVE];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  station: Partial<Iec104OutstationOptions> = {},
  config: Partial<Iec104Config> = {},
  port = 0,
) {
  const commands: OutstationCommand[] = [];
  const options: Iec104OutstationOptions = {
    port,
    commonAddress: 7,
    points: POINTS,
    commands: [
      { ioa: 24577, type: 'C_SC_NA_1', sbo: true },
      { ioa: 24578, type: 'C_DC_NA_1' },
      { ioa: 25089, type: 'C_SE_NC_1' },
    ],
    onCommand: (c) => {
      commands.push(c);
      return !(c.type === 'C_SE_NC_1' && typeof c.value === 'number' && c.value < 0);
    },
    ...station,
  };
  const outstation = await startIec104Outstation(options);
  const driver = iec104Driver.create(
    {
      host: '127.0.0.1',
      port: outstation.port,
      commonAddress: 7,
      t1Ms: 1000,
      t2Ms: 200,
      t3Ms: 2000,
      commandTimeoutMs: 1000,
      backoffMinMs: 20,
      backoffMaxMs: 200,
      ...config,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  const ref = { outstation };
  cleanups.push(async () => {
    await driver.close();
    await ref.outstation.close();
  });
  return { driver, ref, commands, options };
}

async function readWhen(
  driver: Iec104Driver,
  tags: TagRef[],
  ok: (s: Sample[]) => boolean,
): Promise<Sample[]> {
  return waitFor(
    async () => {
      const s = await driver.read(tags);
      return ok(s) && s;
    },
    { timeoutMs: 5000, intervalMs: 10, message: 'samples' },
  );
}

describe('iec104 driver against our outstation', () => {
  it('fills the point image from general interrogation after connect', async () => {
    const { driver } = await setup();
    await driver.connect();
    expect(driver.health().state).toBe('connected');
    const samples = await readWhen(driver, TAGS, (s) => s.every((x) => x.quality === 'good'));
    expect(samples.map((s) => s.value)).toEqual([2.5, -120, 0.25, true, false]);
    const [missing] = await driver.read([tag('x', 'M_ME_NC_1:999')]);
    expect(missing).toMatchObject({ quality: 'bad', value: null, reason: 'WS_ERR_IEC104_NO_DATA' });
    const [mismatch] = await driver.read([tag('x', 'M_SP_NA_1:16385', 'bool')]);
    expect(mismatch).toMatchObject({ quality: 'bad', value: null, reason: 'WS_ERR_IEC104_TYPE_MISMATCH' });
    await driver.interrogateCounters();
    const [count] = await driver.read([tag('count', 'M_IT_NA_1:4001', 'uint32')]);
    expect(count).toMatchObject({ value: 123456, quality: 'good' });
  });

  it('delivers spontaneous changes with their time tags to subscribers', async () => {
    const { driver, ref } = await setup();
    await driver.connect();
    await readWhen(driver, [FLOW], (s) => s[0]?.quality === 'good');
    const seen: [string, Sample][] = [];
    const sub = await driver.subscribe([FLOW, PUMP], (name, s) => seen.push([name, s]));
    expect(seen.map(([n]) => n).sort()).toEqual(['flow', 'pump']);
    seen.length = 0;
    const t = Date.UTC(2026, 10, 27, 8, 30, 15, 250);
    ref.outstation.update(16385, 3.25, { time: t });
    ref.outstation.update(1001, false, { time: t + 5 });
    await waitFor(() => seen.length >= 2, { timeoutMs: 3000 });
    expect(seen).toEqual([
      ['flow', { ts: t, value: 3.25, quality: 'good' }],
      ['pump', { ts: t + 5, value: false, quality: 'good' }],
    ]);
    await sub.close();
    ref.outstation.update(16385, 4);
    await readWhen(driver, [FLOW], (s) => s[0]?.value === 4);
    expect(seen).toHaveLength(2);
  });

  it('maps quality descriptors: IV is bad, NT/SB/BL/OV uncertain with the flags in reason', async () => {
    const { driver, ref } = await setup({ timeTags: false });
    await driver.connect();
    await readWhen(driver, [FLOW], (s) => s[0]?.quality === 'good');
    ref.outstation.update(16385, 9, { quality: QDS.IV | QDS.NT });
    const [bad] = await readWhen(driver, [FLOW], (s) => s[0]?.value === 9);
    expect(bad).toMatchObject({ quality: 'bad', reason: 'IEC104_IV,NT' });
    ref.outstation.update(16385, 10, { quality: QDS.OV | QDS.SB });
    const [unc] = await readWhen(driver, [FLOW], (s) => s[0]?.value === 10);
    expect(unc).toMatchObject({ quality: 'uncertain', reason: 'IEC104_SB,OV' });
    ref.outstation.update(1002, 3);
    const [valve] = await readWhen(driver, [VALVE], (s) => s[0]?.quality !== 'good');
    expect(valve).toMatchObject({ quality: 'uncertain', value: null, reason: 'IEC104_DPI_INDETERMINATE' });
  });

  it('writes a set-point with ActCon and ActTerm, and a double command', async () => {
    const { driver, commands } = await setup();
    await driver.connect();
    await driver.write(tag('sp', 'C_SE_NC_1:25089'), 42.5);
    await driver.write(tag('dc', 'C_DC_NA_1:24578', 'bool'), true);
    expect(commands).toEqual([
      { type: 'C_SE_NC_1', ioa: 25089, value: 42.5, select: false, qualifier: 0 },
      { type: 'C_DC_NA_1', ioa: 24578, value: 2, select: false, qualifier: 0 },
    ]);
    expect(driver.health().stats.lastRttMs).toBeGreaterThanOrEqual(0);
  });

  it('selects before operate when the address says so', async () => {
    const { driver, commands } = await setup();
    await driver.connect();
    await driver.write(tag('run', 'C_SC_NA_1:24577:sbo', 'bool'), true);
    expect(commands.map((c) => [c.select, c.value])).toEqual([
      [true, true],
      [false, true],
    ]);
    // The outstation insists on a select for this point: a direct execute is refused.
    await expect(driver.write(tag('run', 'C_SC_NA_1:24577', 'bool'), true)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_REJECTED',
    });
  });

  it('turns negative confirmations and unknown IOAs into catalog errors', async () => {
    const { driver } = await setup();
    await driver.connect();
    await expect(driver.write(tag('sp', 'C_SE_NC_1:25089'), -1)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_REJECTED',
      message: expect.stringMatching(/cause 7/),
    });
    await expect(driver.write(tag('sp', 'C_SE_NC_1:25090'), 1)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_REJECTED',
      message: expect.stringMatching(/cause 47/),
    });
    await expect(driver.write(FLOW, 1)).rejects.toMatchObject({ code: 'WS_ERR_IEC104_ADDRESS' });
    await expect(driver.write(tag('run', 'C_SC_NA_1:24577', 'bool'), 3)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_WRITE_VALUE',
    });
    expect(driver.health().stats.failures).toBeGreaterThanOrEqual(2);
  });

  it('times out a command the outstation never terminates', async () => {
    const { driver } = await setup(
      { onCommand: () => new Promise<boolean>(() => undefined) },
      { commandTimeoutMs: 100 },
    );
    await driver.connect();
    await expect(driver.write(tag('sp', 'C_SE_NC_1:25089'), 1)).rejects.toMatchObject({
      code: 'WS_ERR_IEC104_COMMAND_TIMEOUT',
    });
    expect(driver.health().stats.timeouts).toBe(1);
  });

  it('reconnects and re-interrogates after the outstation restarts', async () => {
    const { driver, ref, options } = await setup();
    await driver.connect();
    await readWhen(driver, [FLOW], (s) => s[0]?.value === 2.5);
    const losses: Sample[] = [];
    await driver.subscribe([FLOW], (_n, s) => {
      if (s.quality === 'bad') losses.push(s);
    });
    const port = ref.outstation.port;
    await ref.outstation.close();
    await waitFor(() => driver.health().state !== 'connected', { timeoutMs: 3000 });
    const [down] = await driver.read([FLOW]);
    expect(down).toMatchObject({ quality: 'bad', reason: 'WS_ERR_IEC104_DISCONNECTED' });
    expect(losses).toHaveLength(1);
    ref.outstation = await startIec104Outstation({
      ...options,
      port,
      points: POINTS.map((p) => (p.ioa === 16385 ? { ...p, value: 7.75 } : p)),
    });
    const [back] = await readWhen(driver, [FLOW], (s) => s[0]?.value === 7.75);
    expect(back?.quality).toBe('good');
    expect(driver.health().stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('synchronises the clock on connect and interrogates periodically, counters too, when configured', async () => {
    const { driver, ref } = await setup(
      {},
      { clockSyncOnConnect: true, interrogationIntervalMs: 50, counterInterrogation: true },
    );
    const before = Date.now();
    await driver.connect();
    await waitFor(() => ref.outstation.lastClockSync !== undefined, { timeoutMs: 3000 });
    expect(ref.outstation.lastClockSync).toBeGreaterThanOrEqual(before - 1);
    // Periodic interrogation brings values that changed without a spontaneous report.
    ref.outstation.update(16385, 11, { spontaneous: false });
    ref.outstation.update(4001, 123457, { spontaneous: false });
    await readWhen(
      driver,
      [FLOW, tag('count', 'M_IT_NA_1:4001', 'uint32')],
      (s) => s[0]?.value === 11 && s[1]?.value === 123457,
    );
  });
});
