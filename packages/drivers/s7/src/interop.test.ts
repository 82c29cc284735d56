/**
 * Interop with node-snap7's S7 server (snap7 1.4, the reference open-source S7 stack): every
 * area and type read back as snap7 holds it, coalesced reads, writes that snap7 stores, and bad
 * addresses that stay bad alone.
 */
import { silentLogger, systemClock } from '@watershed/common';
import type { TagRef } from '@watershed/driver-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S7Driver } from './driver.js';
import { s7Driver } from './module.js';
import { startSnap7, type Snap7Peer } from './snap7-peer.js';

function db1(): Buffer {
  const b = Buffer.alloc(64);
  b[0] = 0b0000_1000; // DBX0.3
  b.writeUInt16BE(0xbeef, 2); // DBW2
  b.writeFloatBE(21.5, 4); // DBD4:REAL
  b.writeDoubleBE(-1234.5678, 8); // DBB8:LREAL
  b.writeInt16BE(-300, 16); // DBW16:INT
  b.writeInt32BE(-70000, 18); // DBD18:DINT
  b.writeUInt32BE(0xdeadbeef, 22); // DBD22:DWORD
  b[26] = 0xfe; // DBB26 BYTE / SINT
  b[27] = 0x41; // DBB27:CHAR 'A'
  return b;
}

function db2(): Buffer {
  const b = Buffer.alloc(300);
  b[0] = 20; // STRING[20]: max length
  b[1] = 5; //  actual length
  b.write('pumps', 2, 'latin1');
  b[30] = 254; // STRING[254] at 30 needs 256 bytes: more than one item at PDU 240
  b[31] = 200;
  b.fill(0x7a, 32, 232);
  return b;
}

describe('S7 driver against node-snap7', () => {
  let plc: Snap7Peer;
  let driver: S7Driver;
  const m = Buffer.alloc(32);
  const i = Buffer.alloc(8);
  const q = Buffer.alloc(8);

  beforeAll(async () => {
    m.writeUInt16BE(4242, 10);
    i[0] = 0b10;
    q.writeFloatBE(3.25, 4);
    plc = await startSnap7({ db: { 1: db1(), 2: db2() }, m, i, q });
    driver = s7Driver.create(
      {
        host: '127.0.0.1',
        port: plc.port,
        timeoutMs: 1000,
        pduSize: 240,
        backoffMinMs: 20,
        backoffMaxMs: 200,
      },
      { clock: systemClock, logger: silentLogger() },
    );
    await driver.connect();
    expect(driver.health().state).toBe('connected');
  });
  afterAll(async () => {
    await driver?.close();
    await plc?.stop();
  });

  it('negotiates the PDU length with the PLC', () => {
    expect(driver.pduSize).toBe(240);
  });

  it('reads every type from DB, M, I and Q', async () => {
    const tags: TagRef[] = [
      { name: 'bit', address: 'DB1.DBX0.3', dataType: 'bool' },
      { name: 'bit0', address: 'DB1.DBX0.2', dataType: 'bool' },
      { name: 'word', address: 'DB1.DBW2', dataType: 'uint16' },
      { name: 'real', address: 'DB1.DBD4:REAL', dataType: 'float' },
      { name: 'lreal', address: 'DB1.DBB8:LREAL', dataType: 'double' },
      { name: 'int', address: 'DB1.DBW16', dataType: 'int16' },
      { name: 'dint', address: 'DB1.DBD18:DINT', dataType: 'int32' },
      { name: 'dword', address: 'DB1.DBD22', dataType: 'uint32' },
      { name: 'byte', address: 'DB1.DBB26', dataType: 'uint16' },
      { name: 'sint', address: 'DB1.DBB26:SINT', dataType: 'int16' },
      { name: 'char', address: 'DB1.DBB27:CHAR', dataType: 'string' },
      { name: 'string', address: 'DB2.DBB0:STRING[20]', dataType: 'string' },
      { name: 'long string', address: 'DB2.DBB30:STRING[254]', dataType: 'string' },
      { name: 'mw', address: 'MW10', dataType: 'uint16' },
      { name: 'input', address: 'I0.1', dataType: 'bool' },
      { name: 'eingang', address: 'E0.0', dataType: 'bool' },
      { name: 'output', address: 'QD4:REAL', dataType: 'float' },
    ];
    const samples = await driver.read(tags);
    expect(samples.map((s) => s.quality)).toEqual(tags.map(() => 'good'));
    expect(samples.map((s) => s.value)).toEqual([
      true,
      false,
      0xbeef,
      21.5,
      -1234.5678,
      -300,
      -70000,
      0xdeadbeef,
      0xfe,
      -2,
      'A',
      'pumps',
      'z'.repeat(200),
      4242,
      true,
      false,
      3.25,
    ]);
  });

  it('coalesces neighbouring tags into few jobs', async () => {
    const before = driver.health().stats.requests;
    const tags: TagRef[] = Array.from({ length: 30 }, (_, k) => ({
      name: `w${k}`,
      address: `DB1.DBW${k * 2}`,
      dataType: 'uint16' as const,
    }));
    const samples = await driver.read(tags);
    expect(samples.every((s) => s.quality === 'good')).toBe(true);
    expect(driver.health().stats.requests - before).toBe(1);
  });

  it('writes every type, and snap7 holds what was written', async () => {
    const writes: [TagRef, boolean | number | string][] = [
      [{ name: 'bit', address: 'DB1.DBX40.5', dataType: 'bool' }, true],
      [{ name: 'int', address: 'DB1.DBW42', dataType: 'int16' }, -12345],
      [{ name: 'real', address: 'DB1.DBD44:REAL', dataType: 'float' }, 0.5],
      [{ name: 'lreal', address: 'DB1.DBB48:LREAL', dataType: 'double' }, Math.PI],
      [{ name: 'string', address: 'DB2.DBB0:STRING[20]', dataType: 'string' }, 'valve A'],
      [{ name: 'mw', address: 'MW20', dataType: 'uint16' }, 65535],
      [{ name: 'q', address: 'Q1.7', dataType: 'bool' }, true],
    ];
    for (const [tag, value] of writes) await driver.write(tag, value);
    const d1 = plc.area('db', 1);
    expect(d1[40]).toBe(0b0010_0000);
    expect(d1.readInt16BE(42)).toBe(-12345);
    expect(d1.readFloatBE(44)).toBe(0.5);
    expect(d1.readDoubleBE(48)).toBe(Math.PI);
    expect(plc.area('db', 2).subarray(0, 9).toString('latin1')).toBe('\u0014\u0007valve A');
    expect(plc.area('m').readUInt16BE(20)).toBe(65535);
    expect(plc.area('q')[1]).toBe(0x80);
    const back = await driver.read(writes.map(([t]) => t));
    expect(back.map((s) => s.value)).toEqual(writes.map(([, v]) => v));
  });

  it('reports bad addresses as bad samples with a reason, without spoiling their neighbours', async () => {
    const samples = await driver.read([
      { name: 'ok', address: 'DB1.DBW2', dataType: 'uint16' },
      { name: 'no such DB', address: 'DB9.DBW0', dataType: 'uint16' },
      { name: 'past the end', address: 'DB1.DBW62:INT', dataType: 'int16' },
      { name: 'beyond', address: 'DB1.DBD64', dataType: 'uint32' },
      { name: 'garbage', address: 'DB1.XYZ', dataType: 'uint16' },
    ]);
    expect(samples.map((s) => [s.quality, s.reason])).toEqual([
      ['good', undefined],
      ['bad', 'WS_ERR_S7_ITEM'],
      ['good', undefined],
      ['bad', 'WS_ERR_S7_ITEM'],
      ['bad', 'WS_ERR_S7_ADDRESS'],
    ]);
  });

  it('rejects bad writes with catalog errors', async () => {
    await expect(
      driver.write({ name: 'x', address: 'DB9.DBW0', dataType: 'uint16' }, 1),
    ).rejects.toMatchObject({
      code: 'WS_ERR_S7_ITEM',
    });
    await expect(
      driver.write({ name: 'x', address: 'DB1.DBW0', dataType: 'int16' }, 40000),
    ).rejects.toMatchObject({
      code: 'WS_ERR_S7_WRITE_VALUE',
    });
    await expect(
      driver.write({ name: 'x', address: 'DB2.DBB0:STRING[4]', dataType: 'string' }, 'too long'),
    ).rejects.toMatchObject({ code: 'WS_ERR_S7_WRITE_VALUE' });
  });
});
