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
} as const;
