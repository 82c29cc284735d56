import { defineError } from '@watershed/common';

/** Errors of the authentication sources, logged with the source that failed. */
export const AuthErrors = {
  JWKS_UNAVAILABLE: defineError('WS_ERR_MQTT_JWKS_UNAVAILABLE', 503, 'JWKS %s unavailable: %s'),
  JWT_KEY_INVALID: defineError('WS_ERR_MQTT_JWT_KEY_INVALID', 500, 'JWT key %s cannot be used: %s'),
  HTTP_AUTH_FAILED: defineError('WS_ERR_MQTT_HTTP_AUTH_FAILED', 502, 'HTTP authentication service %s: %s'),
} as const;
