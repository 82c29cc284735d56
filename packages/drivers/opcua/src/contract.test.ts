import { silentLogger, systemClock } from '@watershed/common';
import { describeDriverContract, type DriverContractFixture } from '@watershed/driver-sdk/testing';
import { afterAll, beforeAll } from 'vitest';
import { opcuaDriver } from './module.js';
import { startTestServer, tempPki, type TestServer } from './test-support.js';

let pki: { dir: string; remove(): Promise<void> };
beforeAll(async () => {
  pki = await tempPki();
});
afterAll(async () => {
  await pki.remove();
});

/** A node-opcua server as the peer; it restarts on the same port so the driver finds it again. */
async function fixture(): Promise<DriverContractFixture> {
  let server: TestServer | undefined = await startTestServer({ pkiDir: pki.dir });
  const port = server.port;
  const driver = opcuaDriver.create(
    {
      endpointUrl: server.endpointUrl,
      pkiDir: `${pki.dir}/client`,
      requestTimeoutMs: 1000,
      backoffMinMs: 50,
      backoffMaxMs: 300,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  return {
    driver,
    tags: [
      { name: 'flow', address: 'ns=1;s=Plant.Flow', dataType: 'double' },
      { name: 'count', address: 'ns=1;i=1001', dataType: 'uint32' },
      { name: 'run', address: 'ns=1;s=Plant.Running', dataType: 'bool' },
    ],
    expected: [12.5, 1001, true],
    async stopPeer() {
      await server?.stop();
      server = undefined;
    },
    async startPeer() {
      server = await startTestServer({ pkiDir: pki.dir, port });
    },
  };
}

// Each test starts a node-opcua server (and the first makes certificates): allow a busy machine.
describeDriverContract('opcua against a node-opcua server', fixture, { settleMs: 20_000 });
