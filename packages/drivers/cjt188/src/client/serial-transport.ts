/**
 * CJ/T 188 on an M-Bus or RS-485 line. The standard's default line settings are 2400 bit/s,
 * 8 data bits, even parity, 1 stop bit (8E1). The port is opened through an injected factory;
 * the default loads `serialport` on demand (driver-sdk) and fails with
 * WS_ERR_CJT188_SERIAL_UNAVAILABLE when it is not installed. Everything above the factory is the
 * code that runs over TCP, tested over an in-memory pair.
 */
import { serialportFactory, type SerialPortFactory, type SerialSettings } from '@watershed/driver-sdk';
import { Cjt188Errors } from '../errors.js';
import { createStreamTransport, type Transport } from './transport.js';

export type { SerialPortFactory, SerialSettings } from '@watershed/driver-sdk';

export const DEFAULT_SERIAL: Omit<SerialSettings, 'path'> = {
  baudRate: 2400,
  dataBits: 8,
  parity: 'even',
  stopBits: 1,
};

export const openWithSerialport: SerialPortFactory = serialportFactory((path, cause) =>
  Cjt188Errors.SERIAL_UNAVAILABLE.create([path], undefined, cause),
);

export function createSerialTransport(
  settings: SerialSettings,
  open: SerialPortFactory = openWithSerialport,
): Transport {
  return createStreamTransport({
    description: `serial:${settings.path}@${settings.baudRate}`,
    openStream: () => open(settings),
  });
}
