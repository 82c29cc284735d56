import { defineError } from '@watershed/common';

/** The store's error catalog. */
export const StoreErrors = {
  INVALID_SAMPLE: defineError('WS_ERR_STORE_INVALID_SAMPLE', 400, 'invalid sample for point %s: %s'),
  INVALID_POINT: defineError('WS_ERR_STORE_INVALID_POINT', 400, 'invalid point %s: %s'),
  INVALID_RETENTION: defineError('WS_ERR_STORE_INVALID_RETENTION', 400, 'invalid retention: %s'),
  SCHEMA_NEWER: defineError(
    'WS_ERR_STORE_SCHEMA_NEWER',
    500,
    'store at %s has schema version %s, newer than this build supports (%s)',
  ),
  WRITE_FAILED: defineError('WS_ERR_STORE_WRITE_FAILED', 503, 'store write failed: %s'),
} as const;
