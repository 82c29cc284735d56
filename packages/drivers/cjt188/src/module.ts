/** The `cjt188` driver module the edge registers: CJ/T 188-2004 meters behind a concentrator / DTU on TCP. */
import type { DataType } from '@watershed/model';
import type { AddressCheck, DriverModule } from '@watershed/driver-sdk';
import { parseAddress } from './address.js';
import { createTcpTransport } from './client/transport.js';
import { Cjt188Config } from './config.js';
import { Cjt188Driver } from './driver.js';

function checkAddress(address: string, dataType: DataType): AddressCheck {
  const r = parseAddress(address, dataType);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

export const cjt188Driver: DriverModule<Cjt188Config, Cjt188Driver> = {
  id: 'cjt188',
  version: '0.1.0',
  description:
    'CJ/T 188-2004 water meters behind a concentrator or transparent DTU on TCP (901FH, A017H, 810AH)',
  configSchema: Cjt188Config,
  checkAddress,
  create(config, ctx) {
    const transport = createTcpTransport({
      host: config.host,
      port: config.port,
      connectTimeoutMs: config.connectTimeoutMs ?? 3000,
      clock: ctx.clock,
    });
    return new Cjt188Driver(transport, config, ctx);
  },
};
