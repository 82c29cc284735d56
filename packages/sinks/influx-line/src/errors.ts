import { defineError } from '@watershed/common';

/** Catalog entries of the Influx line-protocol sink. */
export const InfluxSinkErrors = {
  ROW: defineError('WS_ERR_SINK_INFLUX_ROW', 400, 'row cannot be written as line protocol: %s'),
  STATUS: defineError('WS_ERR_SINK_INFLUX_STATUS', 502, 'POST %s answered %s: %s'),
  TIMEOUT: defineError('WS_ERR_SINK_INFLUX_TIMEOUT', 504, 'POST %s: no answer within %s ms'),
} as const;
