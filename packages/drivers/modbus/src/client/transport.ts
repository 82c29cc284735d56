/**
 * Byte transports under a Modbus session: the shared driver-sdk transports, bound to this
 * driver's error catalog so a lost link reports WS_ERR_MODBUS_DISCONNECTED.
 */
import type { LinkErrorFactory } from '@watershed/driver-sdk';
import { ModbusErrors } from '../errors.js';

export type { Connection, ConnectionEvents, Transport } from '@watershed/driver-sdk';

export const modbusLinkLost: LinkErrorFactory = (description, why, cause) =>
  ModbusErrors.DISCONNECTED.create([description, why], undefined, cause);
