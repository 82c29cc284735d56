/**
 * The sinks resource: `sinksRoutes` (status, and with a SinkRuntime the management of sinks at
 * runtime) and the contracts `apps/server` implements.
 */
export { sinksRoutes, type SinksRoutesOptions } from './routes.js';
export type { SinkHealthView, SinkInfo, SinkMetricsView, SinkState, SinkStatus } from './status.js';
export type {
  FileSinkSpec,
  SinkProblem,
  SinkRuntime,
  SinkSpec,
  SinkTestResult,
  SinkTypeSpec,
} from './runtime.js';
export { SECRET_MASK, maskSecrets, restoreSecrets } from './secrets.js';
export { SinkApiErrors } from './errors.js';
