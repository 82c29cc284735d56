/**
 * CJ/T 188 on an M-Bus or RS-485 line. The standard's default line settings are 2400 bit/s,
 * 8 data bits, even parity, 1 stop bit (8E1). The port is opened through an injected factory
 * returning a Duplex; `serialport` 13 (DESIGN.md) provides one but is not installed in this
 * workspace, so the default factory loads it on demand and fails with
 * WS_ERR_CJT188_SERIAL_UNAVAILABLE when it is absent. Everything above the factory is the code
 * that runs over TCP, tested over an in-memory pair.
 */
import type { Duplex } from 'node:stream';
import { Cjt188Errors } from '../errors.js';
import { createStreamTransport, type Transport } from './transport.js';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export const DEFAULT_SERIAL: Omit<SerialSettings, 'path'> = {
  baudRate: 2400,
  dataBits: 8,
  parity: 'even',
  stopBits: 1,
};

export type SerialPortFactory = (settings: SerialSettings) => Promise<Duplex>;

export const openWithSerialport: SerialPortFactory = async (settings) => {
  const moduleName = 'serialport';
  let mod: {
    SerialPort: new (o: Record<string, unknown>) => Duplex & { once(e: 'open', f: () => void): void };
  };
  try {
    mod = (await import(moduleName)) as typeof mod;
  } catch (err) {
    throw Cjt188Errors.SERIAL_UNAVAILABLE.create([settings.path], undefined, err);
  }
  const port = new mod.SerialPort({ ...settings, autoOpen: true });
  await new Promise<void>((resolve, reject) => {
    port.once('open', resolve);
    port.once('error', reject);
  });
  return port;
};

export function createSerialTransport(
  settings: SerialSettings,
  open: SerialPortFactory = openWithSerialport,
): Transport {
  return createStreamTransport({
    description: `serial:${settings.path}@${settings.baudRate}`,
    openStream: () => open(settings),
  });
}
