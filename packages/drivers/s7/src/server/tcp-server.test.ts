/** Our S7 server against our driver, and the driver's writes reaching the server's memory. */
import { silentLogger, systemClock } from '@watershed/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S7Driver } from '../driver.js';
import { s7Driver } from '../module.js';
import { createMemory, type S7Memory } from './memory.js';
import { startS7Server, type S7TcpServer, type WriteEvent } from './tcp-server.js';

describe('S7 server', () => {
  let memory: S7Memory;
  let server: S7TcpServer;
  let driver: S7Driver;
  const writes: WriteEvent[] = [];

  beforeAll(async () => {
    memory = createMemory({ m: 16 });
    const db = new Uint8Array(32);
    new DataView(db.buffer).setFloat32(0, 12.5);
    db[4] = 0b1;
    memory.db.set(1, db);
    memory.m[2] = 0x12;
    server = await startS7Server({ memory, port: 0, pduSize: 240, onWrite: (e) => void writes.push(e) });
    driver = s7Driver.create(
      { host: '127.0.0.1', port: server.port, pduSize: 960, timeoutMs: 1000, backoffMinMs: 20 },
      { clock: systemClock, logger: silentLogger() },
    );
    await driver.connect();
  });
  afterAll(async () => {
    await driver?.close();
    await server?.close();
  });

  it('grants the smaller PDU length and serves reads from its memory, with return codes for bad items', async () => {
    expect(driver.pduSize).toBe(240);
    const samples = await driver.read([
      { name: 'level', address: 'DB1.DBD0:REAL', dataType: 'float' },
      { name: 'run', address: 'DB1.DBX4.0', dataType: 'bool' },
      { name: 'mb', address: 'MB2', dataType: 'uint16' },
      { name: 'missing', address: 'DB7.DBW0', dataType: 'uint16' },
      { name: 'past end', address: 'MW16', dataType: 'uint16' },
    ]);
    expect(samples.map((s) => s.value)).toEqual([12.5, true, 0x12, null, null]);
    expect(samples.map((s) => s.reason)).toEqual([
      undefined,
      undefined,
      undefined,
      'WS_ERR_S7_ITEM',
      'WS_ERR_S7_ITEM',
    ]);
  });

  it('stores writes (bits and bytes) and reports them', async () => {
    await driver.write({ name: 'sp', address: 'DB1.DBD8:REAL', dataType: 'float' }, 7.25);
    await driver.write({ name: 'cmd', address: 'DB1.DBX4.3', dataType: 'bool' }, true);
    expect(new DataView(memory.db.get(1)!.buffer).getFloat32(8)).toBe(7.25);
    expect(memory.db.get(1)![4]).toBe(0b1001);
    expect(writes.map((w) => [w.spec.start, w.spec.size])).toEqual([
      [8, 'byte'],
      [4, 'bit'],
    ]);
    await expect(
      driver.write({ name: 'x', address: 'DB9.DBW0', dataType: 'uint16' }, 1),
    ).rejects.toMatchObject({
      code: 'WS_ERR_S7_ITEM',
    });
  });
});
