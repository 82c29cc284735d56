import type { DriverModule } from '@watershed/driver-sdk';
import { modbusRtuDriver, modbusTcpDriver } from '@watershed/driver-modbus';

/**
 * The one explicit list of driver modules this gateway build can use. A device's `driver`
 * field names a module by `id`; the edge validates its settings against that module's schema.
 */
export const DRIVERS: readonly DriverModule[] = [modbusTcpDriver, modbusRtuDriver];
