import type { DriverModule } from '@watershed/driver-sdk';
import { cjt188Driver } from '@watershed/driver-cjt188';
import { iec104Driver } from '@watershed/driver-iec104';
import { modbusRtuDriver, modbusTcpDriver } from '@watershed/driver-modbus';
import { opcuaDriver } from '@watershed/driver-opcua';
import { s7Driver } from '@watershed/driver-s7';

/**
 * The one explicit list of driver modules this gateway build can use. A device's `driver`
 * field names a module by `id`; the edge validates its settings against that module's schema.
 */
export const DRIVERS: readonly DriverModule[] = [
  modbusTcpDriver,
  modbusRtuDriver,
  iec104Driver,
  cjt188Driver,
  opcuaDriver,
  s7Driver,
];
