/** The fleet resource: `fleetRoutes` and the FleetControl contract `apps/server` implements. */
export { fleetRoutes } from './routes.js';
export type { FleetRoutesOptions } from './context.js';
export type { FleetControl, GatewayLiveStatus, PushResult } from './service.js';
export { FleetApiErrors } from './errors.js';
export { diffConfigs, type ConfigDiff } from './config-diff.js';
export { tagsToCsv, applyTagsCsv, parseCsv, TAG_COLUMNS } from './tags-csv.js';
export * as FleetSchemas from './schemas.js';
