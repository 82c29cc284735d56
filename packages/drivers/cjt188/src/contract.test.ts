import { silentLogger, systemClock } from '@watershed/common';
import { describeDriverContract, type DriverContractFixture } from '@watershed/driver-sdk/testing';
import { cjt188Driver } from './module.js';
import { startCjt188Concentrator, type Cjt188Concentrator, type MeterState } from './server/concentrator.js';

/** Our concentrator as the peer; it restarts on the same port so the driver can find it again. */
async function fixture(): Promise<DriverContractFixture> {
  const meters = new Map<string, MeterState>([
    ['00000000000001', { total: 10.5, settlementTotal: 9, valveOpen: true, batteryLow: false }],
    ['00000000000002', { total: 0.01, settlementTotal: 0, valveOpen: false, batteryLow: true }],
  ]);
  let server: Cjt188Concentrator | undefined = await startCjt188Concentrator({ port: 0, meters });
  const port = server.port;
  const driver = cjt188Driver.create(
    { host: '127.0.0.1', port, timeoutMs: 300, connectTimeoutMs: 300, backoffMinMs: 20, backoffMaxMs: 200 },
    { clock: systemClock, logger: silentLogger() },
  );
  return {
    driver,
    tags: [
      { name: 'a_total', address: '00000000000001:total', dataType: 'double' },
      { name: 'b_valve', address: '00000000000002:valve_open', dataType: 'bool' },
      { name: 'b_battery', address: '00000000000002:battery_low', dataType: 'bool' },
    ],
    expected: [10.5, false, true],
    async stopPeer() {
      await server?.close();
      server = undefined;
    },
    async startPeer() {
      server = await startCjt188Concentrator({ port, meters });
    },
  };
}

describeDriverContract('cjt188 against our concentrator', fixture, { settleMs: 5000 });
