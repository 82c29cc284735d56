import { defineError } from '@watershed/common';

/**
 * The CJ/T 188 driver's error catalog. Sample `reason`s and `health().lastError.code` carry these
 * codes; programs decide on the code, operators read the message.
 */
export const Cjt188Errors = {
  /** The meter did not answer within the configured time (after the configured retries). */
  TIMEOUT: defineError('WS_ERR_CJT188_TIMEOUT', 504, 'no answer from meter %s within %s ms'),
  /** No connection to the concentrator / DTU right now; the driver keeps reconnecting by itself. */
  DISCONNECTED: defineError('WS_ERR_CJT188_DISCONNECTED', 503, 'not connected to %s: %s'),
  /** A frame that breaks the protocol: bad length, checksum, BCD digit or data layout. */
  FRAME: defineError('WS_ERR_CJT188_FRAME', 502, 'malformed CJ/T 188 frame: %s'),
  /** The meter answered with the abnormal bit (C bit D6) set. */
  METER_ERROR: defineError('WS_ERR_CJT188_METER_ERROR', 502, 'meter %s reported an error for DI %s'),
  /** A tag address that does not parse or does not fit its data type. */
  ADDRESS: defineError('WS_ERR_CJT188_ADDRESS', 400, 'invalid CJ/T 188 address "%s": %s'),
  /** A value that cannot be written to a tag (wrong type, read-only field). */
  WRITE_VALUE: defineError('WS_ERR_CJT188_WRITE_VALUE', 400, 'cannot write %s to "%s": %s'),
  /** The valve did not reach the commanded state according to the meter's own status answer. */
  VALVE: defineError('WS_ERR_CJT188_VALVE', 502, 'meter %s did not %s its valve (status %s)'),
  /** A meter that failed repeatedly is skipped for a while so it does not stall the bus. */
  METER_SUSPENDED: defineError(
    'WS_ERR_CJT188_METER_SUSPENDED',
    503,
    'meter %s is suspended for %s ms after %s failures in a row',
  ),
  /** A serial line is configured but the `serialport` package is not installed. */
  SERIAL_UNAVAILABLE: defineError(
    'WS_ERR_CJT188_SERIAL_UNAVAILABLE',
    501,
    'cannot open %s: the serialport package is not installed',
  ),
  /** The driver or server was closed while the request was pending. */
  CLOSED: defineError('WS_ERR_CJT188_CLOSED', 503, 'CJ/T 188 %s is closed'),
} as const;
