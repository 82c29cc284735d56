import { defineError } from '@watershed/common';

/** Errors of the operator's interface (BrokerAdmin); the console maps them to HTTP by status. */
export const AdminErrors = {
  CLIENT_NOT_FOUND: defineError('WS_ERR_MQTT_ADMIN_CLIENT_NOT_FOUND', 404, 'no connected MQTT client "%s"'),
  BAN_NOT_FOUND: defineError('WS_ERR_MQTT_ADMIN_BAN_NOT_FOUND', 404, 'no operator ban "%s"'),
  BAN_INVALID: defineError('WS_ERR_MQTT_ADMIN_BAN_INVALID', 400, 'invalid ban: %s'),
  RETAINED_NOT_FOUND: defineError('WS_ERR_MQTT_ADMIN_RETAINED_NOT_FOUND', 404, 'no retained message on "%s"'),
  USER_EXISTS: defineError('WS_ERR_MQTT_ADMIN_USER_EXISTS', 409, 'MQTT user "%s" exists already%s'),
  USER_NOT_FOUND: defineError('WS_ERR_MQTT_ADMIN_USER_NOT_FOUND', 404, 'no runtime MQTT user "%s"'),
  USER_INVALID: defineError('WS_ERR_MQTT_ADMIN_USER_INVALID', 400, 'invalid MQTT user: %s'),
  RULE_NOT_FOUND: defineError('WS_ERR_MQTT_ADMIN_ACL_RULE_NOT_FOUND', 404, 'no runtime ACL rule "%s"'),
  RULE_INVALID: defineError('WS_ERR_MQTT_ADMIN_ACL_RULE_INVALID', 400, 'invalid ACL rule: %s'),
  READ_ONLY: defineError(
    'WS_ERR_MQTT_ADMIN_READ_ONLY',
    409,
    '%s "%s" comes from the broker config file: change the file and restart',
  ),
  UNSUPPORTED_BROKER: defineError(
    'WS_ERR_MQTT_ADMIN_UNSUPPORTED_BROKER',
    500,
    'BrokerAdmin needs a broker made by createBroker or startBroker',
  ),
} as const;
