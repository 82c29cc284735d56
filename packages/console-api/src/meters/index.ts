/** The meters resource: `metersRoutes` and the services `apps/server` implements. */
export { metersRoutes, type MetersRoutesOptions } from './routes.js';
export type {
  MeterReadingView,
  MeterRegistryService,
  MeterUplinkItemError,
  MeterUplinkResult,
  MeterUplinkService,
  MeterUplinkVendor,
  MeterView,
} from './service.js';
export { MeterApiErrors } from './errors.js';
export * as MeterSchemas from './schemas.js';
