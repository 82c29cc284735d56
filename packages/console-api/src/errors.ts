import { defineError } from '@watershed/common';

/** The console API's own catalog entries; shared ones (NOT_FOUND, BAD_REQUEST …) come from common. */
export const ApiErrors = {
  INVALID_PARAM: defineError('WS_ERR_API_INVALID_PARAM', 400, 'query parameter %s: %s'),
  NO_DATA: defineError('WS_ERR_API_NO_DATA', 404, 'point %s has no samples yet'),
} as const;
