import { defineError } from '@watershed/common';

/**
 * The broker's error catalog. Errors thrown to in-process callers (bad filter, publish after
 * close) and the reasons logged when a connection is closed share these codes, so an operator
 * reading a log line and a program catching an error see the same thing.
 */
export const BrokerErrors = {
  INVALID_TOPIC: defineError('WS_ERR_MQTT_INVALID_TOPIC', 400, 'invalid MQTT topic name "%s": %s'),
  INVALID_FILTER: defineError('WS_ERR_MQTT_INVALID_FILTER', 400, 'invalid MQTT topic filter "%s": %s'),
  MALFORMED_PACKET: defineError('WS_ERR_MQTT_MALFORMED_PACKET', 400, 'malformed MQTT packet: %s'),
  PROTOCOL_ERROR: defineError('WS_ERR_MQTT_PROTOCOL_ERROR', 400, 'MQTT protocol error: %s'),
  PACKET_TOO_LARGE: defineError(
    'WS_ERR_MQTT_PACKET_TOO_LARGE',
    413,
    'MQTT packet of %s bytes exceeds the limit of %s',
  ),
  KEEPALIVE_TIMEOUT: defineError('WS_ERR_MQTT_KEEPALIVE_TIMEOUT', 408, 'no packet from client within %s ms'),
  CONNECT_TIMEOUT: defineError('WS_ERR_MQTT_CONNECT_TIMEOUT', 408, 'no CONNECT within %s ms of opening'),
  BROKER_CLOSED: defineError('WS_ERR_MQTT_BROKER_CLOSED', 503, 'MQTT broker is closed'),
  LISTEN_FAILED: defineError('WS_ERR_MQTT_LISTEN_FAILED', 500, 'cannot listen on %s:%s: %s'),
} as const;
