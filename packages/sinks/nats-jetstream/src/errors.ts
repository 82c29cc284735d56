import { defineError } from '@watershed/common';

/** Catalog entries of the NATS JetStream sink (STYLE: errors from a catalog). */
export const NatsSinkErrors = {
  NOT_CONNECTED: defineError('WS_ERR_NATS_SINK_NOT_CONNECTED', 503, 'NATS sink %s: not connected to %s'),
  CONNECT_FAILED: defineError(
    'WS_ERR_NATS_SINK_CONNECT_FAILED',
    502,
    'NATS sink %s: cannot connect to %s: %s',
  ),
  STREAM_CONFLICT: defineError(
    'WS_ERR_NATS_SINK_STREAM_CONFLICT',
    409,
    'NATS sink %s: stream %s exists with %s %s, configured %s (cannot be changed in place)',
  ),
  STREAM_SETUP: defineError(
    'WS_ERR_NATS_SINK_STREAM_SETUP',
    502,
    'NATS sink %s: cannot set up stream %s: %s',
  ),
  PUBLISH_FAILED: defineError('WS_ERR_NATS_SINK_PUBLISH', 502, 'NATS sink %s: publish to %s failed: %s'),
  NOT_IN_STREAM: defineError(
    'WS_ERR_NATS_SINK_NOT_IN_STREAM',
    400,
    'NATS sink %s: subject %s is not captured by stream %s',
  ),
  BAD_ROW: defineError('WS_ERR_NATS_SINK_BAD_ROW', 400, 'NATS sink: row %s cannot be published: %s'),
  TLS_FILE: defineError('WS_ERR_NATS_SINK_TLS_FILE', 400, 'NATS sink %s: cannot read tls.%s file %s: %s'),
} as const;
