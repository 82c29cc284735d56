/**
 * RTU end to end: the driver over an in-memory "serial cable" (the same stream transport a real
 * port uses) against an RTU device, on a FakeClock so timeouts and suspensions are exact; and RTU
 * tunnelled over TCP against our server.
 */
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import { encodeResponse } from './codec/pdu.js';
import { encodeRtu, RtuSplitter } from './codec/rtu.js';
import { createSerialTransport, type SerialSettings } from './client/serial-transport.js';
import type { ClientSettings } from './config.js';
import { ModbusClientDriver } from './driver.js';
import { modbusRtuDriver, modbusTcpDriver } from './modules.js';
import { createRegisterBank, type RegisterBank } from './server/bank.js';
import { serveRequest } from './server/handler.js';
import { startModbusTcpServer } from './server/tcp-server.js';
import { duplexPair, eventually } from './test-support.js';

const SETTINGS: SerialSettings = {
  path: '/dev/ttyTEST',
  baudRate: 19200,
  dataBits: 8,
  parity: 'even',
  stopBits: 1,
};
const tag = (name: string, address: string, dataType: TagRef['dataType'] = 'uint16'): TagRef => ({
  name,
  address,
  dataType,
});

/** An RTU device end of the cable that queues requests until the test answers, drops or garbles them. */
class Device {
  readonly pending: { unitId: number; pdu: Uint8Array }[] = [];
  readonly received: number[] = [];
  auto = true;
  stream: Duplex | undefined;
  opened = 0;
  constructor(readonly banks: Map<number, RegisterBank>) {}

  attach(stream: Duplex): void {
    this.stream = stream;
    this.opened++;
    const splitter = new RtuSplitter('request', ({ unitId, pdu }) => {
      this.received.push(unitId);
      this.pending.push({ unitId, pdu: pdu.slice() });
      if (this.auto) this.answer();
    });
    stream.on('data', (c: Buffer) => splitter.push(c));
  }

  /** Answers the oldest request if its unit is on the line; a unit that is not stays silent. */
  answer(garble = false): void {
    const req = this.pending.shift();
    if (!req) return;
    const bank = this.banks.get(req.unitId);
    if (!bank) return;
    const frame = encodeRtu(req.unitId, encodeResponse(serveRequest(bank, req.unitId, req.pdu)));
    if (garble) frame[frame.length - 1]! ^= 0x5a;
    this.stream?.write(frame);
  }

  drop(): void {
    this.pending.shift();
  }
}

function bankWith(values: number[]): RegisterBank {
  const bank = createRegisterBank({ holdingRegisters: 16, coils: 8, inputRegisters: 8, discreteInputs: 8 });
  bank.holdingRegisters.set(values, 0);
  return bank;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function serialDriver(device: Device, clock: FakeClock, settings: ClientSettings = {}): ModbusClientDriver {
  const transport = createSerialTransport(SETTINGS, async () => {
    const [client, end] = duplexPair();
    device.attach(end);
    return Promise.resolve(client);
  });
  const d = new ModbusClientDriver(
    transport,
    { framing: 'rtu', timeoutMs: 100, backoffMinMs: 50, unitSuspendMinMs: 1000, ...settings },
    { clock, logger: silentLogger() },
  );
  cleanup.push(() => d.close());
  return d;
}

describe('Modbus RTU on a serial line (in-memory cable)', () => {
  it('keeps one request on the bus at a time across units, even when asked for more', async () => {
    const clock = new FakeClock();
    const device = new Device(
      new Map([
        [1, bankWith([11])],
        [2, bankWith([22])],
      ]),
    );
    device.auto = false;
    const d = serialDriver(device, clock, { maxInFlight: 8 });
    await d.connect();
    const p = d.read([tag('a', '1!400001'), tag('b', '2!400001')]);
    await eventually(() => device.pending.length === 1, 2000, 'first request');
    await new Promise((r) => setImmediate(r));
    expect(device.pending).toHaveLength(1);
    device.answer();
    await eventually(
      () => device.pending.length === 1 && device.received.length === 2,
      2000,
      'second request',
    );
    device.answer();
    expect((await p).map((s) => s.value)).toEqual([11, 22]);
  });

  it('suspends a unit that keeps failing so the others on the bus are not held up', async () => {
    const clock = new FakeClock();
    const device = new Device(new Map([[1, bankWith([11])]])); // unit 3 is not on the line
    const d = serialDriver(device, clock, { unitFailThreshold: 2 });
    await d.connect();
    const tags = [tag('ok', '1!400001'), tag('dead', '3!400001')];
    for (let i = 0; i < 2; i++) {
      const p = d.read(tags);
      await eventually(
        () => device.received.filter((u) => u === 3).length === i + 1,
        2000,
        'request to unit 3',
      );
      await clock.advance(100);
      expect((await p).map((s) => s.reason)).toEqual([undefined, 'WS_ERR_MODBUS_TIMEOUT']);
    }
    expect(d.unitSuspended(3)).toBe(true);
    // Suspended: the read completes without the clock moving, and unit 3 is not asked.
    const fast = await d.read(tags);
    expect(fast.map((s) => [s.value, s.reason])).toEqual([
      [11, undefined],
      [null, 'WS_ERR_MODBUS_UNIT_SUSPENDED'],
    ]);
    expect(device.received.filter((u) => u === 3)).toHaveLength(2);
    // When the suspension ends, one probe goes out; failing again doubles the suspension.
    await clock.advance(1000);
    const probe = d.read(tags);
    await eventually(() => device.received.filter((u) => u === 3).length === 3, 2000, 'probe');
    await clock.advance(100);
    expect((await probe)[1]!.reason).toBe('WS_ERR_MODBUS_TIMEOUT');
    await clock.advance(1999);
    expect(d.unitSuspended(3)).toBe(true);
    await clock.advance(1);
    expect(d.unitSuspended(3)).toBe(false);
  });

  it('retries a read that timed out, per unit', async () => {
    const clock = new FakeClock();
    const device = new Device(new Map([[1, bankWith([42])]]));
    device.auto = false;
    const d = serialDriver(device, clock, { retries: 1 });
    await d.connect();
    const p = d.read([tag('a', '1!400001')]);
    await eventually(() => device.pending.length === 1, 2000, 'first attempt');
    device.drop();
    await clock.advance(100);
    await eventually(() => device.pending.length === 1, 2000, 'retry');
    device.answer();
    expect((await p)[0]).toMatchObject({ quality: 'good', value: 42 });
    expect(d.health().stats).toMatchObject({ timeouts: 1, requests: 2 });
  });

  it('a corrupted answer spoils one request, not the link', async () => {
    const clock = new FakeClock();
    const device = new Device(new Map([[1, bankWith([5])]]));
    device.auto = false;
    const d = serialDriver(device, clock);
    await d.connect();
    const p = d.read([tag('a', '1!400001')]);
    await eventually(() => device.pending.length === 1, 2000, 'request');
    device.answer(true);
    expect((await p)[0]).toMatchObject({ quality: 'bad', reason: 'WS_ERR_MODBUS_FRAME' });
    expect(d.health().state).toBe('connected');
    device.auto = true;
    expect((await d.read([tag('a', '1!400001')]))[0]).toMatchObject({ quality: 'good', value: 5 });
  });

  it('reopens the port after the cable goes away', async () => {
    const clock = new FakeClock();
    const device = new Device(new Map([[1, bankWith([9])]]));
    const d = serialDriver(device, clock);
    await d.connect();
    device.stream?.destroy();
    await eventually(() => d.health().state === 'backoff', 2000, 'backoff');
    expect((await d.read([tag('a', '1!400001')]))[0]!.reason).toBe('WS_ERR_MODBUS_DISCONNECTED');
    await clock.advance(50);
    await d.connected();
    expect(device.opened).toBe(2);
    expect((await d.read([tag('a', '1!400001')]))[0]!.value).toBe(9);
  });

  it('modbus-rtu without the serialport package: connect resolves, health names the missing piece', async () => {
    const d = modbusRtuDriver.create(
      { path: '/dev/ttyUSB9' },
      { clock: new FakeClock(), logger: silentLogger() },
    );
    cleanup.push(() => d.close());
    await d.connect();
    expect(d.health()).toMatchObject({
      state: 'backoff',
      lastError: { code: 'WS_ERR_MODBUS_SERIAL_UNAVAILABLE' },
    });
    expect(d.health().lastError?.message).toMatch(/serialport package is not installed/);
  });
});

describe('RTU over TCP', () => {
  it('reads and writes through a server speaking RTU frames; an absent unit is silence', async () => {
    const bank = bankWith([100, 200]);
    const server = await startModbusTcpServer({ port: 0, banks: new Map([[4, bank]]), framing: 'rtu' });
    cleanup.push(() => server.close());
    const d = modbusTcpDriver.create(
      { host: '127.0.0.1', port: server.port, framing: 'rtu', timeoutMs: 100 },
      { clock: systemClock, logger: silentLogger() },
    );
    cleanup.push(() => d.close());
    await d.connect();
    expect((await d.read([tag('a', '4!400001'), tag('b', '4!400002')])).map((s) => s.value)).toEqual([
      100, 200,
    ]);
    await d.write(tag('f', '4!400003', 'float'), 1.25);
    expect((await d.read([tag('f', '4!400003', 'float')]))[0]!.value).toBe(1.25);
    expect((await d.read([tag('x', '5!400001')]))[0]!.reason).toBe('WS_ERR_MODBUS_TIMEOUT');
    expect((await d.read([tag('a', '4!400001')]))[0]!.value).toBe(100);
  });
});
