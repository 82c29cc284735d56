import { defineError } from '@watershed/common';

/** Errors of the broker's durable state; each names the file (or bucket) it is about. */
export const PersistenceErrors = {
  OPEN_FAILED: defineError('WS_ERR_MQTT_STATE_OPEN', 500, 'cannot open MQTT broker state file %s: %s'),
  CORRUPT: defineError(
    'WS_ERR_MQTT_STATE_CORRUPT',
    500,
    'MQTT broker state file %s is damaged (%s); move it aside to start with an empty state',
  ),
  VERSION: defineError(
    'WS_ERR_MQTT_STATE_VERSION',
    500,
    'MQTT broker state file %s has schema version %s; this broker reads versions up to %s',
  ),
  WRITE_FAILED: defineError('WS_ERR_MQTT_STATE_WRITE', 500, 'cannot write MQTT broker state to %s: %s'),
  CLOSED: defineError('WS_ERR_MQTT_STATE_CLOSED', 503, 'MQTT broker state file %s is closed'),
} as const;
