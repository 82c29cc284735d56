import { defineError } from '@watershed/common';

/** Errors of the city overview's server side: its map config and the network files it reads. */
export const OverviewErrors = {
  INP_INVALID: defineError('WS_ERR_OVERVIEW_INP_INVALID', 500, 'network file %s line %s: %s'),
  NETWORK_NOT_FOUND: defineError(
    'WS_ERR_OVERVIEW_NETWORK_NOT_FOUND',
    500,
    'overview.map.districts[%s]: network file %s not found (looked in %s)',
  ),
  UNKNOWN_ELEMENT: defineError(
    'WS_ERR_OVERVIEW_UNKNOWN_ELEMENT',
    500,
    'overview.map.sites[%s]: %s "%s" is not in district "%s" (network %s)',
  ),
  UNKNOWN_DISTRICT: defineError(
    'WS_ERR_OVERVIEW_UNKNOWN_DISTRICT',
    500,
    'overview.map.sites[%s]: district "%s" is not among overview.map.districts (%s)',
  ),
  TIME_ZONE: defineError(
    'WS_ERR_OVERVIEW_TIME_ZONE',
    500,
    'overview.timeZone: "%s" is not an IANA time zone',
  ),
  DUPLICATE: defineError('WS_ERR_OVERVIEW_DUPLICATE', 500, 'overview.map.%s: "%s" appears twice'),
} as const;
