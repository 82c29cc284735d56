import { defineError } from '@watershed/common';

/**
 * The IEC 104 driver's error catalog. Sample `reason`s and `health().lastError.code` carry these
 * codes; programs decide on the code, operators read the message.
 */
export const Iec104Errors = {
  /** A frame that breaks IEC 60870-5-104 §5: bad start octet, length, control field or ASDU. */
  FRAME: defineError('WS_ERR_IEC104_FRAME', 502, 'malformed IEC 104 frame: %s'),
  /** The peer broke the link procedures (§5.1): a wrong N(S), an N(R) for a frame never sent. */
  SEQUENCE: defineError('WS_ERR_IEC104_SEQUENCE', 502, 'IEC 104 sequence error: %s'),
  /** t1 expired: a sent I-frame or U-frame was not acknowledged in time (§6.9); the link is closed. */
  T1_TIMEOUT: defineError('WS_ERR_IEC104_T1_TIMEOUT', 504, 'no acknowledgement of %s within t1 = %s ms'),
  /** No connection or data transfer not started; the driver keeps reconnecting by itself. */
  DISCONNECTED: defineError('WS_ERR_IEC104_DISCONNECTED', 503, 'not connected to %s: %s'),
  /** The point was never received from the outstation (not in the last interrogation, no spontaneous data). */
  NO_DATA: defineError('WS_ERR_IEC104_NO_DATA', 503, 'no data received for information object %s'),
  /** The outstation reports the tag's IOA with another kind of type (a single point where a float was expected …). */
  TYPE_MISMATCH: defineError('WS_ERR_IEC104_TYPE_MISMATCH', 502, 'IOA %s carries %s, the tag expects %s'),
  /** A tag address that does not parse or does not fit its data type. */
  ADDRESS: defineError('WS_ERR_IEC104_ADDRESS', 400, 'invalid IEC 104 address "%s": %s'),
  /** A value that cannot be sent with the tag's command type. */
  WRITE_VALUE: defineError('WS_ERR_IEC104_WRITE_VALUE', 400, 'cannot write %s to "%s": %s'),
  /** The outstation refused a command (P/N = 1 in the confirmation, IEC 60870-5-101 §7.2.3). */
  COMMAND_REJECTED: defineError(
    'WS_ERR_IEC104_COMMAND_REJECTED',
    409,
    'outstation rejected %s for IOA %s (cause %s)',
  ),
  /** No activation confirmation or termination for a command in time. */
  COMMAND_TIMEOUT: defineError('WS_ERR_IEC104_COMMAND_TIMEOUT', 504, 'no %s for %s IOA %s within %s ms'),
  /** The driver or outstation was closed while the operation was pending. */
  CLOSED: defineError('WS_ERR_IEC104_CLOSED', 503, 'IEC 104 %s is closed'),
} as const;
