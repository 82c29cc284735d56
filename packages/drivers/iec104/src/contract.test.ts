import { silentLogger, systemClock } from '@watershed/common';
import { describeDriverContract, type DriverContractFixture } from '@watershed/driver-sdk/testing';
import { iec104Driver } from './module.js';
import {
  startIec104Outstation,
  type Iec104Outstation,
  type Iec104OutstationOptions,
} from './server/outstation.js';

/** Our outstation as the peer; it restarts on the same port so the driver can find it again. */
async function fixture(): Promise<DriverContractFixture> {
  const options: Iec104OutstationOptions = {
    port: 0,
    commonAddress: 1,
    points: [
      { ioa: 16385, type: 'M_ME_NC_1', value: 2.5 },
      { ioa: 16386, type: 'M_ME_NB_1', value: 77 },
      { ioa: 1001, type: 'M_SP_NA_1', value: true },
    ],
  };
  let station: Iec104Outstation | undefined = await startIec104Outstation(options);
  const port = station.port;
  const driver = iec104Driver.create(
    {
      host: '127.0.0.1',
      port,
      t0Ms: 300,
      t1Ms: 500,
      t2Ms: 100,
      t3Ms: 1000,
      backoffMinMs: 20,
      backoffMaxMs: 200,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  return {
    driver,
    tags: [
      { name: 'level', address: 'M_ME_NC_1:16385', dataType: 'float' },
      { name: 'count', address: 'M_ME_NB_1:16386', dataType: 'int16' },
      { name: 'run', address: 'M_SP_NA_1:1001', dataType: 'bool' },
    ],
    expected: [2.5, 77, true],
    async stopPeer() {
      await station?.close();
      station = undefined;
    },
    async startPeer() {
      station = await startIec104Outstation({ ...options, port });
    },
  };
}

describeDriverContract('iec104 against our outstation', fixture, { settleMs: 5000 });
