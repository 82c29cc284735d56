import type { FastifyPluginAsync } from 'fastify';
import type { Access } from '../auth/access.js';
import { registryRoutes } from './registry-routes.js';
import type { MeterRegistryService, MeterUplinkService } from './service.js';
import { uplinkRoutes } from './uplink-routes.js';

export interface MetersRoutesOptions {
  access: Access;
  /** The HTTP vendors' uplink (`POST /meters/uplink/:vendor`); mounted when given. */
  uplink?: MeterUplinkService;
  /** The meter registry (`GET /meters`, `/meters/:id`); mounted when given. */
  registry?: MeterRegistryService;
  /** Largest uplink body, bytes; default 1 MiB. */
  bodyLimit?: number;
}

/**
 * The meters resource (issues 5 and 7): vendor meters' HTTP uplink and the meter registry.
 * Nothing here changes configuration, so nothing is audited: readings are data, like the MQTT
 * ingest's.
 */
export const metersRoutes: FastifyPluginAsync<MetersRoutesOptions> = async (app, opts) => {
  if (opts.uplink) {
    // A number from the server's config; anything else (a stand-in in a test) gets the default.
    const limit = opts.bodyLimit;
    const bodyLimit = typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0 ? limit : 1 << 20;
    await app.register(uplinkRoutes, { uplink: opts.uplink, bodyLimit });
  }
  if (opts.registry) await app.register(registryRoutes, { access: opts.access, registry: opts.registry });
};
