export {
  SinkPermanentError,
  SinkRetryAfterError,
  type Sink,
  type SinkAlarm,
  type SinkDeps,
  type SinkHealth,
  type SinkMetrics,
  type SinkRow,
  type SinkState,
  type SinkTransport,
  type SinkType,
  type TransportHealth,
} from './types.js';
export {
  BatchConfig,
  QueueConfig,
  RetryConfig,
  SinkCommonProperties,
  SinkConfig,
  checkSinkConfig,
  composeSinkSchema,
  parseSinkConfig,
  type SinkCommonConfig,
  type SinkConfigOf,
  type SinkInput,
} from './config.js';
export { SinkErrors } from './errors.js';
export { createSink, createSinkWithTransport } from './sink.js';
export { SinkRegistry, type SinkTypeInfo } from './registry.js';
export { registerSinkMetrics } from './prom.js';
export { backoffDelay } from './backoff.js';
export {
  HttpOrigin,
  parseRetryAfter,
  HTTP_ERROR_BODY_CHARS,
  type HttpAnswer,
  type HttpRequestOptions,
} from './http-request.js';
