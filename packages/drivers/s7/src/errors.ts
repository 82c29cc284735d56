import { defineError } from '@watershed/common';

/**
 * The S7 driver's error catalog. Sample `reason`s and `health().lastError.code` carry these
 * codes; programs decide on the code, operators read the message.
 */
export const S7Errors = {
  /** A frame that breaks RFC 1006, ISO 8073 or S7comm framing. */
  FRAME: defineError('WS_ERR_S7_FRAME', 502, 'malformed S7 frame: %s'),
  /** No answer within the configured time. */
  TIMEOUT: defineError('WS_ERR_S7_TIMEOUT', 504, 'no answer to %s from %s within %s ms'),
  /** No connection to the PLC right now; the driver keeps reconnecting by itself. */
  DISCONNECTED: defineError('WS_ERR_S7_DISCONNECTED', 503, 'not connected to %s: %s'),
  /** The PLC refused the ISO connection (COTP DR) or the S7 communication setup. */
  REFUSED: defineError('WS_ERR_S7_REFUSED', 502, 'the PLC refused %s: %s'),
  /** The PLC answered a job with an S7 header error (error class/code in the Ack-Data header). */
  PDU_ERROR: defineError(
    'WS_ERR_S7_PDU_ERROR',
    502,
    'the PLC rejected the %s job: error class 0x%s code 0x%s',
  ),
  /** One item of a Read Var / Write Var came back with a return code other than 0xFF (success). */
  ITEM: defineError('WS_ERR_S7_ITEM', 502, '%s: %s (return code 0x%s)'),
  /** A tag address that does not parse or does not fit its data type. */
  ADDRESS: defineError('WS_ERR_S7_ADDRESS', 400, 'invalid S7 address "%s": %s'),
  /** A value that cannot be written to a tag (wrong type, out of range, too long). */
  WRITE_VALUE: defineError('WS_ERR_S7_WRITE_VALUE', 400, 'cannot write %s to "%s": %s'),
  /** The driver was closed while the request was pending. */
  CLOSED: defineError('WS_ERR_S7_CLOSED', 503, 'S7 %s is closed'),
} as const;
