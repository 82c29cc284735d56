/** The S7 driver module the edge registers: `s7`, S7comm over ISO-on-TCP (RFC 1006). */
import { createTcpTransport, type AddressCheck, type DriverModule } from '@watershed/driver-sdk';
import type { DataType } from '@watershed/model';
import { parseAddress } from './address.js';
import { s7LinkLost } from './client/link.js';
import { S7Config } from './config.js';
import { S7Driver } from './driver.js';

function checkAddress(address: string, dataType: DataType): AddressCheck {
  const r = parseAddress(address, dataType);
  return r.ok ? { ok: true } : { ok: false, message: r.message };
}

export const s7Driver: DriverModule<S7Config, S7Driver> = {
  id: 's7',
  version: '0.1.0',
  description: 'Siemens S7 (S7comm over ISO-on-TCP): DB, M, I, Q; BOOL to LREAL and STRING; read and write',
  configSchema: S7Config,
  checkAddress,
  create(config, ctx) {
    const transport = createTcpTransport({
      host: config.host,
      port: config.port ?? 102,
      connectTimeoutMs: config.connectTimeoutMs ?? 3000,
      clock: ctx.clock,
      lost: s7LinkLost,
    });
    return new S7Driver(transport, config, ctx);
  },
};
