import { defineError } from '@watershed/common';

/** The fleet resource's catalog; duplicates are the store's (409), write refusals the server's. */
export const FleetApiErrors = {
  NOT_FOUND: defineError('WS_ERR_FLEET_GATEWAY_NOT_FOUND', 404, 'gateway "%s" not found'),
  VERSION_NOT_FOUND: defineError(
    'WS_ERR_FLEET_VERSION_NOT_FOUND',
    404,
    'gateway "%s" has no config version %s',
  ),
  PROJECT_REQUIRED: defineError(
    'WS_ERR_FLEET_PROJECT_REQUIRED',
    400,
    'an installation-wide principal must name the project of the gateway (project field or query parameter)',
  ),
  CONFIRM_REQUIRED: defineError(
    'WS_ERR_FLEET_CONFIRM_REQUIRED',
    400,
    'writing %s to %s changes the plant: repeat the request with "confirm": true',
  ),
  NO_BASE_CONFIG: defineError(
    'WS_ERR_FLEET_NO_BASE_CONFIG',
    409,
    'gateway "%s" has no config version yet: push a whole config before importing tags',
  ),
  CSV_INVALID: defineError('WS_ERR_FLEET_CSV_INVALID', 400, 'tag CSV: %s'),
} as const;
