/** The alarms resource: `alarmsRoutes` over an AlarmService (`@watershed/alarms`). */
export { alarmsRoutes, type AlarmsRoutesOptions } from './routes.js';
export { AlarmApiErrors } from './errors.js';
export * as AlarmApiSchemas from './schemas.js';
