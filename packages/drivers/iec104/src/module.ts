/** The `iec104` driver module the edge registers: an IEC 60870-5-104 master over TCP. */
import { Errors } from '@watershed/common';
import type { AddressCheck, DriverModule } from '@watershed/driver-sdk';
import type { DataType } from '@watershed/model';
import { parseAddress } from './address.js';
import { createTcpTransport } from './client/tcp-transport.js';
import { Iec104Config } from './config.js';
import { Iec104Driver } from './driver.js';

function checkAddress(address: string, dataType: DataType): AddressCheck {
  const r = parseAddress(address, dataType);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

export const iec104Driver: DriverModule<Iec104Config, Iec104Driver> = {
  id: 'iec104',
  version: '0.1.0',
  description: 'IEC 60870-5-104 master: GI and spontaneous data into a point image, commands with SBO',
  configSchema: Iec104Config,
  checkAddress,
  create(config, ctx) {
    const t1 = config.t1Ms ?? 15_000;
    const t2 = config.t2Ms ?? 10_000;
    // IEC 60870-5-104 §6.9: t2 < t1, or the peer times out waiting for our acknowledgements.
    if (t2 >= t1) throw Errors.CONFIG_INVALID.create(['iec104', `t2Ms (${t2}) must be below t1Ms (${t1})`]);
    const transport = createTcpTransport({
      host: config.host,
      port: config.port ?? 2404,
      t0Ms: config.t0Ms ?? 30_000,
      clock: ctx.clock,
    });
    return new Iec104Driver(transport, config, ctx);
  },
};
