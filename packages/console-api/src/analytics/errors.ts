import { defineError } from '@watershed/common';

/** The analytics routes' catalog. */
export const AnalyticsApiErrors = {
  DISTRICT_NOT_FOUND: defineError('WS_ERR_ANALYTICS_DISTRICT_NOT_FOUND', 404, 'no district %s'),
  SITE_NOT_FOUND: defineError('WS_ERR_ANALYTICS_SITE_NOT_FOUND', 404, 'no site %s'),
  RANGE: defineError('WS_ERR_ANALYTICS_RANGE', 400, 'invalid range: %s'),
} as const;
