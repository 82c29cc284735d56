import { defineError } from '@watershed/common';

/** The water analytics' catalog: what a caller passed that the analyses cannot work with. */
export const WaterErrors = {
  BAD_RANGE: defineError('WS_ERR_WATER_BAD_RANGE', 400, 'invalid analysis range: %s'),
  BAD_OPTION: defineError('WS_ERR_WATER_BAD_OPTION', 400, 'invalid analysis option %s: %s'),
} as const;
