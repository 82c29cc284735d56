import { defineError } from '@watershed/common';

/**
 * The alarms resource's catalog. The engine's own refusals (nothing to acknowledge, not
 * shelved, a bad expiry, an invalid rule) keep their WS_ERR_ALARM_* codes; revision conflicts
 * and duplicates are the store's (409).
 */
export const AlarmApiErrors = {
  NOT_FOUND: defineError('WS_ERR_ALARM_NOT_FOUND', 404, 'alarm "%s" not found'),
  RULE_NOT_FOUND: defineError('WS_ERR_ALARM_RULE_NOT_FOUND', 404, 'alarm rule "%s" not found'),
  RULE_SET_NOT_FOUND: defineError('WS_ERR_ALARM_RULE_SET_NOT_FOUND', 404, 'alarm rule set "%s" not found'),
  PROJECT_REQUIRED: defineError(
    'WS_ERR_ALARM_PROJECT_REQUIRED',
    400,
    'an installation-wide principal must name the project (project field or query parameter)',
  ),
  REVISION_REQUIRED: defineError(
    'WS_ERR_ALARM_REVISION_REQUIRED',
    428,
    'changing alarm rule "%s" needs the revision it is based on (revision field)',
  ),
  SHELVE_UNTIL: defineError(
    'WS_ERR_ALARM_SHELVE_UNTIL',
    400,
    'shelving needs exactly one of until (ms epoch) or durationMs',
  ),
} as const;
