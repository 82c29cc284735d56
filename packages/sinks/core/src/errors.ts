import { defineError } from '@watershed/common';

/** Catalog entries of sink-core (STYLE: errors from a catalog). */
export const SinkErrors = {
  UNKNOWN_TYPE: defineError('WS_ERR_SINK_UNKNOWN_TYPE', 400, 'unknown sink type %s (known: %s)'),
  DUPLICATE_TYPE: defineError('WS_ERR_SINK_DUPLICATE_TYPE', 500, 'sink type %s is registered twice'),
  DUPLICATE_ID: defineError('WS_ERR_SINK_DUPLICATE_ID', 400, 'sink id %s is configured twice'),
  CLOSED: defineError('WS_ERR_SINK_CLOSED', 503, 'sink %s is closed'),
  QUEUE_FULL: defineError(
    'WS_ERR_SINK_QUEUE_FULL',
    507,
    'sink %s: disk queue full (%s of %s bytes); %s rows dropped',
  ),
  DISK_ERROR: defineError('WS_ERR_SINK_DISK', 507, 'sink %s: disk queue write failed (%s); %s rows dropped'),
  ROW_NOT_SERIALISABLE: defineError('WS_ERR_SINK_ROW', 400, 'sink %s: row cannot be queued: %s'),
} as const;
