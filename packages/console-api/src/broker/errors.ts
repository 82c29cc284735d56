import { defineError } from '@watershed/common';

/** The broker resource's catalog. */
export const BrokerApiErrors = {
  INSTALLATION_ONLY: defineError(
    'WS_ERR_BROKER_INSTALLATION_ONLY',
    403,
    'broker operations are installation-wide: they need a principal of project "*" (this one acts in %s)',
  ),
  CLIENT_NOT_FOUND: defineError('WS_ERR_BROKER_CLIENT_NOT_FOUND', 404, 'no connected MQTT client "%s"'),
  RETAINED_NOT_FOUND: defineError('WS_ERR_BROKER_RETAINED_NOT_FOUND', 404, 'no retained message on "%s"'),
  BAN_NOT_FOUND: defineError('WS_ERR_BROKER_BAN_NOT_FOUND', 404, 'no operator ban "%s"'),
  BAN_INVALID: defineError('WS_ERR_BROKER_BAN_INVALID', 400, 'invalid ban: %s'),
  USER_NOT_FOUND: defineError('WS_ERR_BROKER_USER_NOT_FOUND', 404, 'no MQTT user "%s"'),
  ACL_RULE_NOT_FOUND: defineError('WS_ERR_BROKER_ACL_RULE_NOT_FOUND', 404, 'no ACL rule "%s"'),
  FILTER_INVALID: defineError('WS_ERR_BROKER_FILTER_INVALID', 400, 'invalid topic filter "%s": %s'),
} as const;
