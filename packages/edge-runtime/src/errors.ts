import { defineError } from '@watershed/common';

export const EdgeErrors = {
  UNKNOWN_DRIVER: defineError(
    'WS_ERR_EDGE_UNKNOWN_DRIVER',
    400,
    'device %s uses unknown driver "%s" (known: %s)',
  ),
  NOT_READABLE: defineError('WS_ERR_EDGE_NOT_READABLE', 400, 'driver "%s" of device %s cannot be polled'),
  POLL_OVERRUN: defineError('WS_ERR_EDGE_POLL_OVERRUN', 500, 'group %s poll took longer than its interval'),
  READ_FAILED: defineError('WS_ERR_EDGE_READ_FAILED', 502, 'read failed: %s'),
  DRIVER_LOAD: defineError('WS_ERR_EDGE_DRIVER_LOAD', 500, 'driver module did not load: %s'),

  // Edge rules (rules section)
  RULE_INVALID: defineError('WS_ERR_EDGE_RULE_INVALID', 400, 'rule %s: %s'),
  RULE_TOPIC: defineError(
    'WS_ERR_EDGE_RULE_TOPIC',
    400,
    'upstream topic "%s" must be a topic name under the node, not mgmt/… nor {group}/data',
  ),
  RULE_WRITE_VALUE: defineError('WS_ERR_EDGE_RULE_WRITE_VALUE', 400, 'rule %s: the row has no value in "%s"'),

  // Tag catalog in parts (mgmt/catalog/{part})
  CATALOG_TAG_TOO_BIG: defineError(
    'WS_ERR_EDGE_CATALOG_TAG_TOO_BIG',
    500,
    'tag %s.%s alone does not fit a catalog part of %s bytes',
  ),
  CATALOG_PART_SIZE: defineError(
    'WS_ERR_EDGE_CATALOG_PART_SIZE',
    500,
    'catalog part %s is %s bytes, over its limit of %s',
  ),
  CATALOG_CHECKSUM: defineError(
    'WS_ERR_EDGE_CATALOG_CHECKSUM',
    502,
    'catalog of %s reassembled from %s parts has checksum %s, its parts announced %s',
  ),

  // Config pushes (mgmt/config)
  BAD_MESSAGE: defineError('WS_ERR_EDGE_BAD_MESSAGE', 400, 'malformed %s message: %s'),
  CONFIG_STALE: defineError(
    'WS_ERR_EDGE_CONFIG_STALE',
    409,
    'config version %s is older than the running version %s',
  ),
  CONFIG_CONFLICT: defineError(
    'WS_ERR_EDGE_CONFIG_CONFLICT',
    409,
    'config version %s is already running with a different checksum',
  ),
  CONFIG_CHECKSUM: defineError(
    'WS_ERR_EDGE_CONFIG_CHECKSUM',
    400,
    'config checksum %s does not match its content (sha256 of its canonical JSON is %s)',
  ),
  DRIVER_CREATE: defineError(
    'WS_ERR_EDGE_DRIVER_CREATE',
    500,
    'device %s (driver "%s") cannot be created: %s',
  ),
  DEVICE_START: defineError('WS_ERR_EDGE_DEVICE_START', 502, 'device %s cannot be started: %s'),
  STATE_WRITE: defineError('WS_ERR_EDGE_STATE_WRITE', 500, 'cannot save the applied config to %s: %s'),
  STATE_READ: defineError('WS_ERR_EDGE_STATE_READ', 500, 'cannot use the applied config in %s: %s'),

  // Remote writes (mgmt/write)
  WRITE_EXPIRED: defineError('WS_ERR_EDGE_WRITE_EXPIRED', 408, 'write %s came %s ms after its deadline'),
  WRITE_UNKNOWN_POINT: defineError(
    'WS_ERR_EDGE_WRITE_UNKNOWN_POINT',
    404,
    'point %s is not a tag of this gateway',
  ),
  WRITE_READ_ONLY: defineError('WS_ERR_EDGE_WRITE_READ_ONLY', 403, 'tag %s is not writable'),
  WRITE_TYPE: defineError('WS_ERR_EDGE_WRITE_TYPE', 400, 'tag %s is of type %s, the request expected %s'),
  WRITE_VALUE: defineError('WS_ERR_EDGE_WRITE_VALUE', 400, 'value %s does not fit tag %s of type %s'),
  WRITE_LIMIT: defineError(
    'WS_ERR_EDGE_WRITE_LIMIT',
    400,
    'value %s for tag %s is outside its write limits [%s, %s]',
  ),
  WRITE_UNSUPPORTED: defineError(
    'WS_ERR_EDGE_WRITE_UNSUPPORTED',
    501,
    'driver "%s" of device %s cannot write',
  ),
  WRITE_FAILED: defineError('WS_ERR_EDGE_WRITE_FAILED', 502, 'write to %s failed: %s'),
  WRITE_TIMEOUT: defineError(
    'WS_ERR_EDGE_WRITE_TIMEOUT',
    504,
    'write to %s and its read-back took over %s ms',
  ),
  WRITE_READBACK: defineError('WS_ERR_EDGE_WRITE_READBACK', 502, 'tag %s read back %s after %s was written'),
  WRITE_READBACK_FAILED: defineError(
    'WS_ERR_EDGE_WRITE_READBACK_FAILED',
    502,
    'tag %s could not be read back after the write: %s',
  ),
} as const;
