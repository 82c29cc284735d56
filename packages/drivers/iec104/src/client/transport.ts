/**
 * Byte transports under the IEC 104 master: the shared driver-sdk transports, bound to this
 * driver's error catalog so a lost link reports WS_ERR_IEC104_DISCONNECTED.
 */
import type { LinkErrorFactory } from '@watershed/driver-sdk';
import { Iec104Errors } from '../errors.js';

export type { Connection, ConnectionEvents, Transport } from '@watershed/driver-sdk';

export const iec104LinkLost: LinkErrorFactory = (description, why, cause) =>
  Iec104Errors.DISCONNECTED.create([description, why], undefined, cause);
