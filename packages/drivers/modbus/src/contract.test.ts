import { silentLogger, systemClock } from '@watershed/common';
import { describeDriverContract, type DriverContractFixture } from '@watershed/driver-sdk/testing';
import { encodeValue } from './codec/values.js';
import { modbusTcpDriver } from './modules.js';
import { createRegisterBank, writeRegisters } from './server/bank.js';
import type { ServerFraming } from './server/responder.js';
import { startModbusTcpServer, type ModbusTcpServer } from './server/tcp-server.js';

/** Our TCP server as the peer; it restarts on the same port so the driver can find it again. */
async function fixture(framing: ServerFraming): Promise<DriverContractFixture> {
  const bank = createRegisterBank({ coils: 8, discreteInputs: 8, inputRegisters: 16, holdingRegisters: 16 });
  writeRegisters(bank, 'holding', 0, encodeValue('float', 2.5));
  writeRegisters(bank, 'input', 4, Uint16Array.of(77));
  bank.coils[1] = 1;
  const banks = new Map([[1, bank]]);
  let server: ModbusTcpServer | undefined = await startModbusTcpServer({ port: 0, banks, framing });
  const port = server.port;
  const driver = modbusTcpDriver.create(
    {
      host: '127.0.0.1',
      port,
      framing,
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
      { name: 'level', address: '1!400001', dataType: 'float' },
      { name: 'count', address: '1!300005', dataType: 'uint16' },
      { name: 'run', address: '1!000002', dataType: 'bool' },
    ],
    expected: [2.5, 77, true],
    async stopPeer() {
      await server?.close();
      server = undefined;
    },
    async startPeer() {
      server = await startModbusTcpServer({ port, banks, framing });
    },
  };
}

describeDriverContract('modbus-tcp against our server', () => fixture('mbap'), { settleMs: 5000 });
describeDriverContract('modbus-tcp with RTU framing against our server', () => fixture('rtu'), {
  settleMs: 5000,
});
