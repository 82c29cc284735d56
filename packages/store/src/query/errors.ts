import { defineError } from '@watershed/common';

/** Errors of the trend and aggregate queries, shared by every adapter. */
export const QueryErrors = {
  INVALID_QUERY: defineError('WS_ERR_STORE_INVALID_QUERY', 400, 'invalid query for point %s: %s'),
} as const;
