import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createSerialTransport, DEFAULT_SERIAL } from './client/serial-transport.js';
import { Cjt188Driver } from './driver.js';
import { Cjt188Errors } from './errors.js';
import { cjt188Driver } from './module.js';
import { startCjt188Concentrator, type Cjt188Concentrator, type MeterState } from './server/concentrator.js';
import { serveBus } from './server/responder.js';
import { duplexPair, eventually } from './test-support.js';

const M1 = '11223344556677';
const M2 = '00000000000042';
const ctx = { clock: systemClock, logger: silentLogger() };

const tag = (address: string, dataType: TagRef['dataType'] = 'double'): TagRef => ({
  name: address,
  address,
  dataType,
});

function meters(): Map<string, MeterState> {
  return new Map<string, MeterState>([
    [M1, { total: 1234.56, settlementTotal: 1200, valveOpen: true, batteryLow: false }],
    [M2, { total: 7.01, settlementTotal: 5, valveOpen: true, batteryLow: true, vendorStatus: 0x12 }],
  ]);
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(
  m = meters(),
  extra: Partial<Parameters<typeof cjt188Driver.create>[0]> = {},
): Promise<{
  driver: Cjt188Driver;
  server: () => Cjt188Concentrator;
  restart(): Promise<void>;
  valves: string[];
}> {
  const valves: string[] = [];
  const clock = new FakeClock(Date.UTC(2026, 10, 27, 13, 50, 23));
  const opts = {
    port: 0,
    meters: m,
    clock,
    utcOffsetMinutes: 480,
    onValve: (a: string, open: boolean) => void valves.push(`${a}:${open ? 'open' : 'close'}`),
  };
  let server = await startCjt188Concentrator(opts);
  const port = server.port;
  const driver = cjt188Driver.create(
    { host: '127.0.0.1', port, timeoutMs: 300, retries: 0, backoffMinMs: 20, backoffMaxMs: 100, ...extra },
    ctx,
  );
  cleanup.push(() => server.close());
  cleanup.push(() => driver.close());
  await driver.connect();
  return {
    driver,
    server: () => server,
    valves,
    async restart() {
      await server.close();
      server = await startCjt188Concentrator({ ...opts, port });
    },
  };
}

describe('cjt188 driver against our concentrator', () => {
  it('reads every field of a meter from one 901FH answer per meter', async () => {
    const { driver, server } = await setup();
    const samples = await driver.read([
      tag(`${M1}:total`),
      tag(`${M1}:settlement_total`),
      tag(`${M1}:meter_time`, 'string'),
      tag(`${M1}:valve_open`, 'bool'),
      tag(`${M1}:battery_low`, 'bool'),
      tag(`${M2}:status`, 'uint16'),
      tag(`${M2}:total`),
      tag(`${M2}:battery_low`, 'bool'),
    ]);
    expect(samples.map((s) => s.quality)).toEqual(Array(8).fill('good'));
    expect(samples.map((s) => s.value)).toEqual([
      1234.56,
      1200,
      '2026-11-27T21:50:23', // UTC 13:50:23 on meters keeping China Standard Time
      true,
      false,
      0x1204,
      7.01,
      true,
    ]);
    expect(server().answered.get(0x901f)).toBe(2);
  });

  it('closes and reopens a valve, confirmed by the meter status', async () => {
    const m = meters();
    const { driver, valves } = await setup(m);
    const valve = tag(`${M1}:valve_open`, 'bool');
    await driver.write(valve, false);
    expect(m.get(M1)?.valveOpen).toBe(false);
    expect((await driver.read([valve]))[0]?.value).toBe(false);
    await driver.write(valve, true);
    expect((await driver.read([valve]))[0]?.value).toBe(true);
    expect(valves).toEqual([`${M1}:close`, `${M1}:open`]);
  });

  it('rejects a valve command the meter could not carry out, and bad writes', async () => {
    const m = meters();
    const { driver } = await setup(m);
    m.get(M1)!.valveFault = true;
    await expect(driver.write(tag(`${M1}:valve_open`, 'bool'), false)).rejects.toSatisfy((e) =>
      Cjt188Errors.VALVE.is(e),
    );
    await expect(driver.write(tag(`${M1}:total`), 3)).rejects.toSatisfy((e) =>
      Cjt188Errors.WRITE_VALUE.is(e),
    );
    await expect(driver.write(tag(`${M1}:valve_open`, 'bool'), 1)).rejects.toSatisfy((e) =>
      Cjt188Errors.WRITE_VALUE.is(e),
    );
    // A stuck valve reads as no value rather than a guess.
    expect((await driver.read([tag(`${M1}:valve_open`, 'bool')]))[0]?.quality).toBe('bad');
  });

  it('reports an unknown meter as bad quality with WS_ERR_CJT188_TIMEOUT, others stay good', async () => {
    const { driver } = await setup();
    const samples = await driver.read([tag('99999999999999:total'), tag(`${M1}:total`), tag('bad:total')]);
    expect(samples.map((s) => [s.quality, s.reason])).toEqual([
      ['bad', 'WS_ERR_CJT188_TIMEOUT'],
      ['good', undefined],
      ['bad', 'WS_ERR_CJT188_ADDRESS'],
    ]);
    expect(driver.health().stats.timeouts).toBe(1);
    expect(driver.health().state).toBe('connected');
  });

  it('suspends a meter that keeps timing out so it stops costing bus time', async () => {
    const { driver } = await setup(meters(), { meterFailThreshold: 2 });
    const ghost = tag('99999999999999:total');
    await driver.read([ghost]);
    await driver.read([ghost]);
    expect(driver.meterSuspended('99999999999999')).toBe(true);
    const before = driver.health().stats.requests;
    const [s] = await driver.read([ghost]);
    expect(s?.reason).toBe('WS_ERR_CJT188_METER_SUSPENDED');
    expect(driver.health().stats.requests).toBe(before);
  });

  it('recovers after the concentrator restarts', async () => {
    const fx = await setup();
    const driver = fx.driver;
    await fx.restart();
    await eventually(
      async () => (await driver.read([tag(`${M1}:total`)]))[0]?.quality === 'good',
      5000,
      'a good read after the restart',
    );
    expect(driver.health().stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('browses the single meter on a line with a broadcast address read', async () => {
    const { driver } = await setup(new Map([[M2, meters().get(M2)!]]));
    const nodes = await driver.browse();
    expect(nodes.map((n) => n.address)).toEqual([M2]);
    expect(nodes[0]?.children?.find((c) => c.name === 'valve_open')).toMatchObject({
      address: `${M2}:valve_open`,
      dataType: 'bool',
      writable: true,
    });
  });

  it('browses nothing where several meters would collide', async () => {
    const { driver } = await setup();
    expect(await driver.browse()).toEqual([]);
  });

  it('checks addresses for the edge config', () => {
    expect(cjt188Driver.checkAddress(`${M1}:total`, 'double')).toEqual({ ok: true });
    expect(cjt188Driver.checkAddress(`${M1}:total`, 'bool')).toMatchObject({ ok: false });
    expect(cjt188Driver.checkAddress(`${M1}:flow`, 'double')).toMatchObject({ ok: false });
    expect(cjt188Driver.checkAddress('AAAAAAAAAAAAAA:total', 'double')).toMatchObject({ ok: false });
  });
});

describe('cjt188 driver on a serial line (in-memory, 2400 8E1 settings)', () => {
  it('reads through the serial transport and the same session', async () => {
    const m = meters();
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    let detach: (() => void) | undefined;
    const transport = createSerialTransport({ path: '/dev/ttyS9', ...DEFAULT_SERIAL }, (settings) => {
      expect(settings).toMatchObject({ baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 });
      const [ours, bus] = duplexPair();
      detach = serveBus(bus, { meters: m, clock });
      return Promise.resolve(ours);
    });
    const driver = new Cjt188Driver(transport, { timeoutMs: 300 }, ctx);
    cleanup.push(() => driver.close());
    await driver.connect();
    expect(driver.health().state).toBe('connected');
    const [s] = await driver.read([tag(`${M2}:total`)]);
    expect(s?.value).toBe(7.01);
    detach?.();
  });

  it('says so when the serialport package is missing', async () => {
    const driver = new Cjt188Driver(
      createSerialTransport({ path: '/dev/ttyS9', ...DEFAULT_SERIAL }),
      {},
      ctx,
    );
    cleanup.push(() => driver.close());
    await driver.connect();
    expect(driver.health().lastError?.code).toBe('WS_ERR_CJT188_SERIAL_UNAVAILABLE');
  });
});
