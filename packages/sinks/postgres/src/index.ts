import type { SinkType } from '@watershed/sink-core';
import { PostgresSinkConfig } from './config.js';
import { PostgresTransport } from './transport.js';

export { PostgresSinkConfig } from './config.js';
export { PostgresSinkErrors } from './errors.js';

/** PostgreSQL: samples into the Watershed store (partitioned, idempotent), other rows into a mapped table. */
export const postgresSink: SinkType<PostgresSinkConfig> = {
  type: 'postgres',
  description:
    'PostgreSQL: sample rows {point, ts, value, quality} into the Watershed store (partitioned, idempotent on point+ts, rollups kept), other rows into a table by column mapping, via COPY',
  configSchema: PostgresSinkConfig,
  createTransport: (config, deps) => new PostgresTransport(config, deps),
};
