import type { SinkType } from '@watershed/sink-core';
import { HttpSinkConfig } from './config.js';
import { HttpTransport } from './transport.js';

export { HttpSinkConfig } from './config.js';
export { HttpSinkErrors } from './errors.js';
export { compileTemplate, type Template } from './template.js';

/** HTTP webhook: one request per batch, JSON array of rows or a per-row `${field}` template. */
export const httpSink: SinkType<HttpSinkConfig> = {
  type: 'http',
  description: 'HTTP webhook: one request per batch (JSON array of rows, or a ${field} body template)',
  configSchema: HttpSinkConfig,
  createTransport: (config, deps) => new HttpTransport(config, deps),
};
