import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { sleep, type Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import { errorResponses, HealthBody, type ComponentHealth } from '../schemas.js';

export type HealthProbe = () => Promise<Record<string, ComponentHealth>> | Record<string, ComponentHealth>;

export interface HealthRouteOptions {
  store: Store;
  health?: HealthProbe;
  version?: string;
  clock: Clock;
  /** A probe slower than this counts as unhealthy, default 2 s: a health check must answer. */
  probeTimeoutMs?: number;
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
      if (opts.health)
        Object.assign(components, await probe(opts.health, opts.clock, opts.probeTimeoutMs ?? 2000));
      const ok = Object.values(components).every((c) => c.ok);
      const body: HealthBody = { status: ok ? 'ok' : 'degraded', components };
      if (opts.version !== undefined) body.version = opts.version;
      return reply.status(ok ? 200 : 503).send(body);
    },
  );
  done();
};

async function probe(
  health: HealthProbe,
  clock: Clock,
  timeoutMs: number,
): Promise<Record<string, ComponentHealth>> {
  const abort = new AbortController();
  const timeout = sleep(clock, timeoutMs, abort.signal).then(
    () => ({ 'health-probe': { ok: false, detail: `no answer within ${timeoutMs} ms` } }),
    () => ({}), // aborted: the probe answered first
  );
  try {
    return await Promise.race([Promise.resolve(health()), timeout]);
  } catch (err) {
    return { 'health-probe': { ok: false, detail: (err as Error).message } };
  } finally {
    abort.abort();
  }
}
