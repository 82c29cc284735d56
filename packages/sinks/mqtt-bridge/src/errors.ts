import { defineError } from '@watershed/common';

/** Catalog entries of the MQTT bridge (STYLE: errors from a catalog). */
export const MqttBridgeErrors = {
  NOT_CONNECTED: defineError('WS_ERR_MQTT_BRIDGE_NOT_CONNECTED', 503, 'MQTT bridge %s: not connected to %s'),
  CONNECT_FAILED: defineError(
    'WS_ERR_MQTT_BRIDGE_CONNECT_FAILED',
    502,
    'MQTT bridge %s: cannot connect to %s: %s',
  ),
  LINK_LOST: defineError(
    'WS_ERR_MQTT_BRIDGE_LINK_LOST',
    502,
    'MQTT bridge %s: connection to %s lost before PUBACK',
  ),
  PUBLISH_TIMEOUT: defineError(
    'WS_ERR_MQTT_BRIDGE_PUBLISH_TIMEOUT',
    504,
    'MQTT bridge %s: no PUBACK from %s within %s ms',
  ),
  PUBLISH_REJECTED: defineError(
    'WS_ERR_MQTT_BRIDGE_PUBLISH_REJECTED',
    502,
    'MQTT bridge %s: %s rejected a publish to %s: %s',
  ),
  BAD_ROW: defineError('WS_ERR_MQTT_BRIDGE_BAD_ROW', 400, 'MQTT bridge: row %s cannot be published: %s'),
  BAD_MAPPING: defineError('WS_ERR_MQTT_BRIDGE_BAD_MAPPING', 400, 'MQTT bridge: topic mapping %s: %s'),
  TLS_FILE: defineError('WS_ERR_MQTT_BRIDGE_TLS_FILE', 400, 'MQTT bridge %s: cannot read tls.%s file %s: %s'),
} as const;
