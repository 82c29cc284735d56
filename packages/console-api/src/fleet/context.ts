import type { FastifyRequest } from 'fastify';
import type { Gateway, Store } from '@watershed/store';
import type { Access, Auditor } from '../auth/access.js';
import { FleetApiErrors } from './errors.js';
import type { FleetControl } from './service.js';

export interface FleetRoutesOptions {
  access: Access;
  auditor: Auditor;
  store: Store;
  fleet: FleetControl;
}

/** What the fleet's route files share. */
export interface FleetContext extends FleetRoutesOptions {
  /** The gateway if the request may see it; 404 otherwise, so another project's gateways do not leak. */
  visible(req: FastifyRequest, id: string): Promise<Gateway>;
}

export function fleetContext(opts: FleetRoutesOptions): FleetContext {
  return {
    ...opts,
    async visible(req, id) {
      const gateway = await opts.store.metadata.gateways.get(id);
      if (!gateway || !opts.access.canSee(req, gateway.project)) throw FleetApiErrors.NOT_FOUND.create([id]);
      return gateway;
    },
  };
}

export const tags = ['fleet'];
