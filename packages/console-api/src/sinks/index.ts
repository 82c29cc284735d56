/** The sinks resource: read-only `sinksRoutes` and the SinkStatus contract `apps/server` implements. */
export { sinksRoutes, type SinksRoutesOptions } from './routes.js';
export type { SinkHealthView, SinkInfo, SinkMetricsView, SinkState, SinkStatus } from './status.js';
export { SinkApiErrors } from './errors.js';
