import { defineError } from '@watershed/common';

/** The alarm engine's catalog; the console API answers with these codes and statuses. */
export const AlarmErrors = {
  RULE_INVALID: defineError('WS_ERR_ALARM_RULE_INVALID', 400, 'invalid alarm rule %s: %s'),
  UNKNOWN: defineError('WS_ERR_ALARM_UNKNOWN', 404, 'no alarm %s'),
  NOTHING_TO_ACK: defineError(
    'WS_ERR_ALARM_NOTHING_TO_ACK',
    409,
    'alarm %s is not waiting for acknowledgement',
  ),
  NOT_SHELVED: defineError('WS_ERR_ALARM_NOT_SHELVED', 409, 'alarm %s is not shelved'),
  SHELVE_EXPIRY: defineError(
    'WS_ERR_ALARM_SHELVE_EXPIRY',
    400,
    'shelving of %s must expire in the future, within %s ms',
  ),
  RULE_SET_INVALID: defineError('WS_ERR_ALARM_RULE_SET_INVALID', 400, 'invalid alarm rule set %s: %s'),
  NOTIFIER_CLOSED: defineError('WS_ERR_ALARM_NOTIFIER_CLOSED', 503, 'notifier %s is closed'),
} as const;
