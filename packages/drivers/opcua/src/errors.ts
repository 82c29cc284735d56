import { defineError } from '@watershed/common';

/**
 * The OPC UA driver's error catalog. Sample `reason`s carry either one of these codes (the
 * driver could not ask) or the server's StatusCode name (the server answered, e.g.
 * `BadNodeIdUnknown`); `health().lastError.code` is always one of these.
 */
export const OpcuaErrors = {
  /** No session with the server right now; the driver keeps reconnecting by itself. */
  DISCONNECTED: defineError('WS_ERR_OPCUA_DISCONNECTED', 503, 'no OPC UA session with %s: %s'),
  /** The TCP connection or secure channel could not be opened (refused, unreachable, certificate). */
  CONNECT: defineError('WS_ERR_OPCUA_CONNECT', 503, 'cannot connect to %s: %s'),
  /** The server offers no endpoint with the configured security mode and policy (Part 4 §5.4.4). */
  NO_ENDPOINT: defineError(
    'WS_ERR_OPCUA_NO_ENDPOINT',
    502,
    '%s offers no endpoint with security %s/%s; it offers: %s',
  ),
  /** CreateSession or ActivateSession failed: bad user, rejected certificate, too many sessions. */
  SESSION: defineError('WS_ERR_OPCUA_SESSION', 502, 'cannot open a session on %s: %s'),
  /** A service call failed as a whole (the request, not one node's status). */
  SERVICE: defineError('WS_ERR_OPCUA_SERVICE', 502, '%s service failed: %s'),
  /** No response within the request timeout. */
  TIMEOUT: defineError('WS_ERR_OPCUA_TIMEOUT', 504, '%s request timed out after %s ms'),
  /** A tag address that is not a NodeId in the string form of Part 6 §5.3.1.10. */
  ADDRESS: defineError('WS_ERR_OPCUA_ADDRESS', 400, 'invalid OPC UA address "%s": %s'),
  /** The server answered a value the tag's data type cannot carry (an array, a structure …). */
  VALUE_TYPE: defineError('WS_ERR_OPCUA_VALUE_TYPE', 502, 'value of %s is %s, not a %s'),
  /** A value that cannot be written as the tag's type (wrong JS type, out of range). */
  WRITE_VALUE: defineError('WS_ERR_OPCUA_WRITE_VALUE', 400, 'cannot write %s to "%s": %s'),
  /** The server refused a write; details.statusCode holds the StatusCode name (e.g. BadNotWritable). */
  WRITE_REJECTED: defineError('WS_ERR_OPCUA_WRITE_REJECTED', 502, 'write to %s rejected: %s'),
  /** A client certificate or key file named in the config cannot be read. */
  PKI: defineError('WS_ERR_OPCUA_PKI', 500, 'OPC UA certificate setup failed: %s'),
  /** The driver was closed while the request was pending. */
  CLOSED: defineError('WS_ERR_OPCUA_CLOSED', 503, 'OPC UA driver for %s is closed'),
} as const;
