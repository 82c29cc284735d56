import type { FastifyPluginAsync } from 'fastify';
import { configRoutes } from './config-routes.js';
import { fleetContext, type FleetRoutesOptions } from './context.js';
import { gatewayRoutes } from './gateway-routes.js';

/**
 * `/api/v1/gateways`, `/api/v1/configs/push`: the edge fleet (issue 8). Reads are for every
 * role of the project; tag writes for operators and above; registering, credentials, pushes,
 * rollbacks and tag imports for engineers and above. Another project's gateway answers 404.
 * Every change is audited after it succeeded (a write whatever the gateway answered).
 */
export const fleetRoutes: FastifyPluginAsync<FleetRoutesOptions> = async (app, opts) => {
  const ctx = fleetContext(opts);
  gatewayRoutes(app, ctx);
  configRoutes(app, ctx);
  await Promise.resolve();
};
