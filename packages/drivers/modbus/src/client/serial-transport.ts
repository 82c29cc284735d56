/**
 * Modbus RTU on a serial line (RS-232/RS-485). The port is opened through an injected factory
 * that returns a Duplex; `serialport` 13 (DESIGN.md) provides one, but it is not installed in
 * this workspace yet, so the default factory loads it on demand and fails with a clear error when
 * it is absent. Everything above the factory — framing, one request at a time per bus, timeouts,
 * backoff — is the same code that runs over TCP and is tested over an in-memory pair.
 */
import type { Duplex } from 'node:stream';
import { ModbusErrors } from '../errors.js';
import { createStreamTransport } from './stream-transport.js';
import type { Transport } from './transport.js';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export type SerialPortFactory = (settings: SerialSettings) => Promise<Duplex>;

/** Opens a port with the `serialport` package, loaded only when a serial device is configured. */
export const openWithSerialport: SerialPortFactory = async (settings) => {
  const moduleName = 'serialport';
  let mod: {
    SerialPort: new (o: Record<string, unknown>) => Duplex & { once(e: 'open', f: () => void): void };
  };
  try {
    mod = (await import(moduleName)) as typeof mod;
  } catch (err) {
    throw ModbusErrors.SERIAL_UNAVAILABLE.create([settings.path], undefined, err);
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
    // Serial Line §2.1: one master, and only one request outstanding on the bus at any time.
    exclusive: true,
  });
}
