import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Store } from '@watershed/store';
import { errorResponses, HealthBody, type ComponentHealth } from '../schemas.js';

export type HealthProbe = () => Promise<Record<string, ComponentHealth>> | Record<string, ComponentHealth>;

export interface HealthRouteOptions {
  store: Store;
  health?: HealthProbe;
  version?: string;
}

/** `GET /healthz`: 200 when every component is ok, 503 otherwise, listing each one. */
export const healthRoutes: FastifyPluginCallbackTypebox<HealthRouteOptions> = (app, opts, done) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health of the server and its components',
        tags: ['operations'],
        response: { 200: HealthBody, 503: HealthBody, ...errorResponses },
      },
    },
    async (_req, reply) => {
      const components: Record<string, ComponentHealth> = { store: opts.store.health() };
      try {
        Object.assign(components, await opts.health?.());
      } catch (err) {
        components['health-probe'] = { ok: false, detail: (err as Error).message };
      }
      const ok = Object.values(components).every((c) => c.ok);
      const body: HealthBody = { status: ok ? 'ok' : 'degraded', components };
      if (opts.version !== undefined) body.version = opts.version;
      return reply.status(ok ? 200 : 503).send(body);
    },
  );
  done();
};
