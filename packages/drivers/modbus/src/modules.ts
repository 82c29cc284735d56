/**
 * The Modbus driver modules the edge registers: `modbus-tcp` (Modbus TCP, or RTU tunnelled over
 * TCP) and `modbus-rtu` (a serial line; needs the serialport package, see client/serial-transport.ts).
 */
import type { DataType } from '@watershed/model';
import type { AddressCheck, DriverModule } from '@watershed/driver-sdk';
import { parseAddress } from './address.js';
import { createSerialTransport } from './client/serial-transport.js';
import { createTcpTransport } from './client/tcp-transport.js';
import { ModbusRtuConfig, ModbusTcpConfig } from './config.js';
import { ModbusClientDriver } from './driver.js';

function checkAddress(address: string, dataType: DataType): AddressCheck {
  const r = parseAddress(address, dataType);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

export const modbusTcpDriver: DriverModule<ModbusTcpConfig, ModbusClientDriver> = {
  id: 'modbus-tcp',
  version: '0.1.0',
  description: 'Modbus TCP (or RTU over TCP) client: FC 1–6, 15, 16; Neuron-compatible addresses',
  configSchema: ModbusTcpConfig,
  checkAddress,
  create(config, ctx) {
    const transport = createTcpTransport({
      host: config.host,
      port: config.port ?? 502,
      connectTimeoutMs: config.connectTimeoutMs ?? 3000,
      clock: ctx.clock,
    });
    return new ModbusClientDriver(transport, config, ctx);
  },
};

export const modbusRtuDriver: DriverModule<ModbusRtuConfig, ModbusClientDriver> = {
  id: 'modbus-rtu',
  version: '0.1.0',
  description: 'Modbus RTU client on a serial line (RS-232/RS-485): one request at a time per bus',
  configSchema: ModbusRtuConfig,
  checkAddress,
  create(config, ctx) {
    const transport = createSerialTransport({
      path: config.path,
      baudRate: config.baudRate ?? 9600,
      dataBits: config.dataBits ?? 8,
      // Serial Line §2.5.1: even parity is the required default.
      parity: config.parity ?? 'even',
      stopBits: config.stopBits ?? 1,
    });
    return new ModbusClientDriver(transport, { ...config, framing: 'rtu', maxInFlight: 1 }, ctx);
  },
};
