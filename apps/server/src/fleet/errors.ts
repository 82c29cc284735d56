import { defineError } from '@watershed/common';

/** The fleet service's catalog (the console API answers with these statuses). */
export const FleetErrors = {
  OFFLINE: defineError('WS_ERR_FLEET_OFFLINE', 409, 'gateway %s is offline'),
  NO_VERSION: defineError('WS_ERR_FLEET_NO_VERSION', 404, 'gateway %s has no config version %s'),
  UNKNOWN_TAG: defineError('WS_ERR_FLEET_UNKNOWN_TAG', 404, 'gateway %s has no tag %s in the config it runs'),
  AMBIGUOUS_TAG: defineError(
    'WS_ERR_FLEET_AMBIGUOUS_TAG',
    400,
    'tag %s is in several groups of gateway %s (%s): name it as group.tag',
  ),
  READ_ONLY: defineError('WS_ERR_FLEET_READ_ONLY', 403, 'tag %s is not writable'),
  WRITE_VALUE: defineError('WS_ERR_FLEET_WRITE_VALUE', 400, 'tag %s takes a %s value, not %s'),
  WRITE_LIMIT: defineError(
    'WS_ERR_FLEET_WRITE_LIMIT',
    400,
    'value %s is outside the limits of tag %s [%s, %s]',
  ),
  WRITE_TIMEOUT: defineError(
    'WS_ERR_FLEET_WRITE_TIMEOUT',
    504,
    'gateway %s did not answer write %s within %s ms; the write expires on the gateway at its deadline',
  ),
  CLOSED: defineError('WS_ERR_FLEET_CLOSED', 503, 'the fleet service is closed'),
} as const;
