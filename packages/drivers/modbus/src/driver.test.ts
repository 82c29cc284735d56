import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '@watershed/common';
import type { TagRef } from '@watershed/driver-sdk';
import { encodeValue } from './codec/values.js';
import type { ModbusClientDriver } from './driver.js';
import { modbusTcpDriver } from './modules.js';
import { createRegisterBank, writeRegisters, type RegisterBank } from './server/bank.js';
import { startModbusTcpServer, type ModbusTcpServer } from './server/tcp-server.js';
import { eventually, startSilentServer } from './test-support.js';

const ctx = { clock: systemClock, logger: silentLogger() };
const tag = (name: string, address: string, dataType: TagRef['dataType']): TagRef => ({
  name,
  address,
  dataType,
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function serve(banks: Map<number, RegisterBank>, port = 0): Promise<ModbusTcpServer> {
  const s = await startModbusTcpServer({ port, banks });
  open.push(s);
  return s;
}

function driverFor(
  port: number,
  extra: Partial<Parameters<typeof modbusTcpDriver.create>[0]> = {},
): ModbusClientDriver {
  const d = modbusTcpDriver.create(
    { host: '127.0.0.1', port, timeoutMs: 500, backoffMinMs: 20, backoffMaxMs: 100, ...extra },
    ctx,
  );
  open.push(d);
  return d;
}

function plantBank(): RegisterBank {
  const bank = createRegisterBank({
    coils: 32,
    discreteInputs: 32,
    inputRegisters: 200,
    holdingRegisters: 200,
  });
  bank.coils[0] = 1;
  bank.discreteInputs[9] = 1;
  writeRegisters(bank, 'input', 0, encodeValue('int16', -42));
  writeRegisters(bank, 'input', 3, encodeValue('int32', 123456, 'BB'));
  writeRegisters(bank, 'holding', 0, Uint16Array.of(0x8001));
  writeRegisters(bank, 'holding', 9, encodeValue('string', 'PUMP-7', 'H', 20));
  writeRegisters(bank, 'holding', 150, encodeValue('double', -3.25, 'BL'));
  return bank;
}

describe('modbusTcpDriver against our server', () => {
  it('reads every area and type, one sample per tag in order, coalescing requests', async () => {
    const server = await serve(new Map([[1, plantBank()]]));
    const d = driverFor(server.port);
    await d.connect();
    expect(d.health().state).toBe('connected');
    const tags = [
      tag('pump', '1!000001', 'bool'),
      tag('door', '1!100010', 'bool'),
      tag('temp', '1!300001', 'int16'),
      tag('total', '1!300004#BB', 'int32'),
      tag('hi', '1!400001.15', 'bool'),
      tag('lo', '1!400001.1', 'bool'),
      tag('raw', '1!400001', 'uint16'),
      tag('name', '1!400010.20', 'string'),
      tag('level', '1!400151#BL', 'double'),
      tag('bad', '1!999999', 'int16'),
    ];
    const samples = await d.read(tags);
    expect(samples.map((s) => s.value)).toEqual([
      true,
      true,
      -42,
      123456,
      true,
      false,
      0x8001,
      'PUMP-7',
      -3.25,
      null,
    ]);
    expect(samples.slice(0, 9).every((s) => s.quality === 'good')).toBe(true);
    expect(samples[9]).toMatchObject({ quality: 'bad', reason: 'WS_ERR_MODBUS_ADDRESS' });
    // coils, discrete inputs, input 0 and 3..4, holding 0, 9..18 and 150..153: gaps are not bridged by default
    expect(d.health().stats.requests).toBe(7);
  });

  it('bridges gaps up to maxGap', async () => {
    const server = await serve(new Map([[1, plantBank()]]));
    const d = driverFor(server.port, { maxGap: 10 });
    await d.connect();
    const samples = await d.read([
      tag('temp', '1!300001', 'int16'),
      tag('total', '1!300004#BB', 'int32'),
      tag('raw', '1!400001', 'uint16'),
      tag('name', '1!400010.20', 'string'),
    ]);
    expect(samples.map((s) => s.value)).toEqual([-42, 123456, 0x8001, 'PUMP-7']);
    expect(d.health().stats.requests).toBe(2);
  });

  it('writes coils, registers and two-register values, and refuses what cannot be written', async () => {
    const bank = plantBank();
    const server = await serve(new Map([[1, bank]]));
    const d = driverFor(server.port);
    await d.connect();
    await d.write(tag('run', '1!000002', 'bool'), true);
    await d.write(tag('sp', '1!400021', 'int16'), -5);
    await d.write(tag('flow', '1!400031#BL', 'float'), 12.5);
    await d.write(tag('count', '1!400041', 'uint32'), 70000);
    await d.write(tag('label', '1!400051.4', 'string'), 'AB');
    expect(bank.coils[1]).toBe(1);
    expect(bank.holdingRegisters[20]).toBe(0xfffb);
    const back = await d.read([
      tag('flow', '1!400031#BL', 'float'),
      tag('count', '1!400041', 'uint32'),
      tag('label', '1!400051.4', 'string'),
    ]);
    expect(back.map((s) => s.value)).toEqual([12.5, 70000, 'AB']);
    await expect(d.write(tag('t', '1!300001', 'int16'), 1)).rejects.toMatchObject({
      code: 'WS_ERR_MODBUS_WRITE_VALUE',
    });
    await expect(d.write(tag('t', '1!400001', 'int16'), 1e6)).rejects.toMatchObject({
      code: 'WS_ERR_MODBUS_WRITE_VALUE',
    });
    await expect(d.write(tag('t', '1!409999', 'int16'), 1)).rejects.toMatchObject({
      code: 'WS_ERR_MODBUS_EXCEPTION',
      details: { exceptionCode: 2 },
    });
  });

  it('turns exceptions into bad samples per block, leaving other blocks good', async () => {
    const server = await serve(new Map([[1, plantBank()]]));
    const d = driverFor(server.port);
    await d.connect();
    const samples = await d.read([
      tag('a', '1!300001', 'int16'),
      tag('far', '1!309000', 'int16'),
      tag('ghost', '7!400001', 'int16'),
    ]);
    expect(samples.map((s) => [s.quality, s.reason])).toEqual([
      ['good', undefined],
      ['bad', 'WS_ERR_MODBUS_EXCEPTION'],
      ['bad', 'WS_ERR_MODBUS_EXCEPTION'],
    ]);
    expect(d.health().lastError?.message).toMatch(/exception 11 \(gateway target device failed to respond\)/);
  });

  it('a device that never answers yields WS_ERR_MODBUS_TIMEOUT samples, not a rejection', async () => {
    const silent = await startSilentServer();
    open.push(silent);
    const d = driverFor(silent.port, { timeoutMs: 50 });
    await d.connect();
    const samples = await d.read([tag('a', '1!400001', 'int16'), tag('b', '1!000001', 'bool')]);
    expect(samples.map((s) => s.reason)).toEqual(['WS_ERR_MODBUS_TIMEOUT', 'WS_ERR_MODBUS_TIMEOUT']);
    expect(d.health().stats).toMatchObject({ timeouts: 2, failures: 2 });
  });

  it('an aborted read rejects with the abort reason and frees the link for the next read', async () => {
    const silent = await startSilentServer();
    open.push(silent);
    const d = driverFor(silent.port, { timeoutMs: 10_000 });
    await d.connect();
    const ac = new AbortController();
    const p = d.read([tag('a', '1!400001', 'int16')], ac.signal);
    ac.abort(new Error('poll cycle cancelled'));
    await expect(p).rejects.toThrow('poll cycle cancelled');
    expect(d.health().stats.timeouts).toBe(0);
  });

  it('connect() resolves with the device down; the link backs off, then recovers by itself', async () => {
    const probe = await serve(new Map());
    const port = probe.port;
    await probe.close();
    const d = driverFor(port);
    await d.connect();
    expect(d.health()).toMatchObject({ state: 'backoff', lastError: { code: 'WS_ERR_MODBUS_DISCONNECTED' } });
    const t = [tag('a', '1!300001', 'int16')];
    expect((await d.read(t))[0]).toMatchObject({ quality: 'bad', reason: 'WS_ERR_MODBUS_DISCONNECTED' });

    const server = await serve(new Map([[1, plantBank()]]), port);
    await d.connected();
    expect((await d.read(t))[0]).toMatchObject({ quality: 'good', value: -42 });

    await server.close();
    await eventually(() => d.health().state !== 'connected', 5000, 'link loss');
    expect((await d.read(t))[0]!.quality).toBe('bad');
    await serve(new Map([[1, plantBank()]]), port);
    await d.connected();
    expect((await d.read(t))[0]).toMatchObject({ quality: 'good', value: -42 });
    expect(d.health().stats.reconnects).toBeGreaterThanOrEqual(2);
  });

  it('close() is idempotent and further reads are bad, not rejected', async () => {
    const server = await serve(new Map([[1, plantBank()]]));
    const d = driverFor(server.port);
    await d.connect();
    await Promise.all([d.close(), d.close()]);
    await d.close();
    expect(d.health().state).toBe('closed');
    expect((await d.read([tag('a', '1!300001', 'int16')]))[0]).toMatchObject({
      quality: 'bad',
      reason: 'WS_ERR_MODBUS_CLOSED',
    });
    await eventually(() => server.connections === 0, 5000, 'server to see the close');
  });

  it('checkAddress explains a bad address', () => {
    expect(modbusTcpDriver.checkAddress('1!400001#BB', 'float')).toEqual({ ok: true });
    expect(modbusTcpDriver.checkAddress('1!400001#BB', 'int16')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/#L or #B/),
    });
  });
});
