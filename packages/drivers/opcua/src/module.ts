/** The `opcua` driver module the edge registers in its one list of drivers. */
import type { DataType } from '@watershed/model';
import type { AddressCheck, DriverModule } from '@watershed/driver-sdk';
import { parseAddress } from './address.js';
import { OpcuaConfig } from './config.js';
import { OpcuaClientDriver } from './driver.js';

function checkAddress(address: string, dataType: DataType): AddressCheck {
  const r = parseAddress(address, dataType);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

export const opcuaDriver: DriverModule<OpcuaConfig, OpcuaClientDriver> = {
  id: 'opcua',
  version: '0.1.0',
  description:
    'OPC UA client (node-opcua): polled reads, writes, monitored items, browse; security None/Sign/SignAndEncrypt',
  configSchema: OpcuaConfig,
  checkAddress,
  create(config, ctx) {
    return new OpcuaClientDriver(config, ctx);
  },
};
