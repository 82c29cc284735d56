/**
 * Modbus RTU on a serial line (RS-232/RS-485). The port is opened through an injected factory;
 * the default loads `serialport` on demand (driver-sdk) and fails with
 * WS_ERR_MODBUS_SERIAL_UNAVAILABLE when it is not installed. Everything above the factory —
 * framing, one request at a time per bus, timeouts, backoff — is the code that runs over TCP.
 */
import { serialportFactory, type SerialPortFactory, type SerialSettings } from '@watershed/driver-sdk';
import { ModbusErrors } from '../errors.js';
import { createStreamTransport } from './stream-transport.js';
import type { Transport } from './transport.js';

export type { SerialPortFactory, SerialSettings } from '@watershed/driver-sdk';

/** Opens a port with the `serialport` package, loaded only when a serial device is configured. */
export const openWithSerialport: SerialPortFactory = serialportFactory((path, cause) =>
  ModbusErrors.SERIAL_UNAVAILABLE.create([path], undefined, cause),
);

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
