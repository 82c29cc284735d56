import { silentLogger, systemClock } from '@watershed/common';
import { describeDriverContract, type DriverContractFixture } from '@watershed/driver-sdk/testing';
import { afterAll } from 'vitest';
import { s7Driver } from './module.js';
import { startSnap7, type Snap7Peer } from './snap7-peer.js';

/**
 * node-snap7 as the peer. One snap7 server object serves every fixture, stopped and started
 * again on its port: a process that creates several snap7 servers in turn can hang in Stop.
 */
let plc: Snap7Peer | undefined;
let running = false;
afterAll(async () => {
  if (running) await plc?.stop();
});

async function fixture(): Promise<DriverContractFixture> {
  const db = Buffer.alloc(16);
  db.writeFloatBE(2.5, 0);
  db.writeUInt16BE(77, 4);
  db[6] = 0b10;
  if (!plc) plc = await startSnap7({ db: { 1: db } });
  else if (!running) await plc.start();
  running = true;
  const peer = plc;
  const driver = s7Driver.create(
    {
      host: '127.0.0.1',
      port: peer.port,
      timeoutMs: 300,
      connectTimeoutMs: 300,
      backoffMinMs: 20,
      backoffMaxMs: 200,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  return {
    driver,
    tags: [
      { name: 'level', address: 'DB1.DBD0:REAL', dataType: 'float' },
      { name: 'count', address: 'DB1.DBW4', dataType: 'uint16' },
      { name: 'run', address: 'DB1.DBX6.1', dataType: 'bool' },
    ],
    expected: [2.5, 77, true],
    async stopPeer() {
      await peer.stop();
      running = false;
    },
    async startPeer() {
      await peer.start();
      running = true;
    },
  };
}

describeDriverContract('s7 against node-snap7', fixture, { settleMs: 5000 });
