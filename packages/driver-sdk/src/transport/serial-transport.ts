/**
 * Serial lines (RS-232/RS-485/M-Bus). The port is opened through an injected factory returning a
 * Duplex; `serialport` 13 (DESIGN.md) provides one, but it is not installed in this workspace, so
 * the default factory loads it on demand and fails with the driver's own error when it is absent.
 * Everything above the factory is the stream transport, tested over an in-memory pair.
 */
import type { Duplex } from 'node:stream';
import { createStreamTransport } from './stream-transport.js';
import type { LinkErrorFactory, Transport } from './transport.js';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export type SerialPortFactory = (settings: SerialSettings) => Promise<Duplex>;

/**
 * A factory that opens ports with the `serialport` package, loaded only when a serial device is
 * configured; `unavailable(path, cause)` makes the driver's error for a missing package.
 */
export function serialportFactory(unavailable: (path: string, cause: unknown) => Error): SerialPortFactory {
  return async (settings) => {
    // A variable, so bundlers and tsc do not insist on resolving an optional dependency.
    const moduleName = 'serialport';
    let mod: {
      SerialPort: new (o: Record<string, unknown>) => Duplex & { once(e: 'open', f: () => void): void };
    };
    try {
      mod = (await import(moduleName)) as typeof mod;
    } catch (err) {
      throw unavailable(settings.path, err);
    }
    const port = new mod.SerialPort({ ...settings, autoOpen: true });
    await new Promise<void>((resolve, reject) => {
      port.once('open', resolve);
      port.once('error', reject);
    });
    return port;
  };
}

export interface SerialTransportOptions {
  open: SerialPortFactory;
  lost: LinkErrorFactory;
  /** One request on the bus at a time (Modbus Serial Line §2.1); default false. */
  exclusive?: boolean;
  closedReason?: string;
}

export function createSerialTransport(settings: SerialSettings, opts: SerialTransportOptions): Transport {
  return createStreamTransport({
    description: `serial:${settings.path}@${settings.baudRate}`,
    openStream: () => opts.open(settings),
    lost: opts.lost,
    ...(opts.exclusive !== undefined ? { exclusive: opts.exclusive } : {}),
    ...(opts.closedReason !== undefined ? { closedReason: opts.closedReason } : {}),
  });
}
