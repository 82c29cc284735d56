import { defineError } from '@watershed/common';

/**
 * The Modbus driver's error catalog. Sample `reason`s and `health().lastError.code` carry these
 * codes; programs decide on the code, operators read the message.
 */
export const ModbusErrors = {
  /** The device answered with an exception response (spec v1.1b3 §7); details.exceptionCode says which. */
  EXCEPTION: defineError(
    'WS_ERR_MODBUS_EXCEPTION',
    502,
    'unit %s answered function 0x%s with exception %s (%s)',
  ),
  /** No response within the configured time; the device, gateway or network is slow or gone. */
  TIMEOUT: defineError('WS_ERR_MODBUS_TIMEOUT', 504, 'no response from unit %s within %s ms'),
  /** No connection to the device right now; the driver keeps reconnecting by itself. */
  DISCONNECTED: defineError('WS_ERR_MODBUS_DISCONNECTED', 503, 'not connected to %s: %s'),
  /** A frame that breaks the protocol: bad length, CRC, function code or byte count. */
  FRAME: defineError('WS_ERR_MODBUS_FRAME', 502, 'malformed Modbus frame: %s'),
  /** A tag address that does not parse or does not fit its data type. */
  ADDRESS: defineError('WS_ERR_MODBUS_ADDRESS', 400, 'invalid Modbus address "%s": %s'),
  /** A value that cannot be written to a tag (wrong type, out of range, read-only area). */
  WRITE_VALUE: defineError('WS_ERR_MODBUS_WRITE_VALUE', 400, 'cannot write %s to "%s": %s'),
  /** A serial device is configured but the `serialport` package is not installed. */
  SERIAL_UNAVAILABLE: defineError(
    'WS_ERR_MODBUS_SERIAL_UNAVAILABLE',
    501,
    'cannot open %s: the serialport package is not installed',
  ),
  /** A unit that failed repeatedly is skipped for a while so it does not stall the others on the link. */
  UNIT_SUSPENDED: defineError(
    'WS_ERR_MODBUS_UNIT_SUSPENDED',
    503,
    'unit %s is suspended for %s ms after %s failures in a row',
  ),
  /** The driver or server was closed while the request was pending. */
  CLOSED: defineError('WS_ERR_MODBUS_CLOSED', 503, 'Modbus %s is closed'),
} as const;
