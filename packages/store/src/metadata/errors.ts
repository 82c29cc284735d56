import { defineError } from '@watershed/common';

/** Catalog entries of the store's metadata part (HTTP statuses are what the console API answers). */
export const MetadataErrors = {
  NOT_FOUND: defineError('WS_ERR_STORE_NOT_FOUND', 404, '%s %s not found'),
  REVISION_CONFLICT: defineError(
    'WS_ERR_STORE_REVISION_CONFLICT',
    409,
    '%s %s was changed meanwhile: it is at revision %s, not %s',
  ),
  DUPLICATE: defineError('WS_ERR_STORE_DUPLICATE', 409, '%s %s already exists'),
  IN_USE: defineError('WS_ERR_STORE_IN_USE', 409, '%s %s is still used by %s'),
  INVALID: defineError('WS_ERR_STORE_INVALID_METADATA', 400, 'invalid %s: %s'),
} as const;
