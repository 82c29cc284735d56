import type { SinkType } from '@watershed/sink-core';
import { InfluxLineSinkConfig } from './config.js';
import { InfluxLineTransport } from './transport.js';

export { InfluxLineSinkConfig } from './config.js';
export { InfluxSinkErrors } from './errors.js';
export {
  escapeKey,
  escapeMeasurement,
  fieldValue,
  formatTime,
  quoteString,
  toLine,
  type LineMapping,
  type Precision,
} from './line-protocol.js';

/** InfluxDB line protocol over HTTP (InfluxDB 1.x/2.x, VictoriaMetrics and other compatible servers). */
export const influxLineSink: SinkType<InfluxLineSinkConfig> = {
  type: 'influx-line',
  description: 'InfluxDB line protocol over HTTP (/api/v2/write or /write); one request per batch',
  configSchema: InfluxLineSinkConfig,
  createTransport: (config, deps) => new InfluxLineTransport(config, deps),
};
