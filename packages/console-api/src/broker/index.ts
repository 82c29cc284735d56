/** The broker resource: `brokerRoutes` and the BrokerOperations contract `apps/server` implements. */
export { brokerRoutes, type BrokerRoutesOptions } from './routes.js';
export type { BanRequest, BrokerOperations, Changed } from './operations.js';
export { BrokerApiErrors } from './errors.js';
export * as BrokerSchemas from './schemas.js';
