import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from '@watershed/common';
import { Type } from 'typebox';
import { errorResponses } from '../schemas.js';

/**
 * Request metrics for every route of `app`, labelled by route pattern (not raw URL) so point ids
 * cannot blow up the label cardinality. Call on the root instance: a hook added inside a plugin
 * would only see that plugin's routes.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Registry): void {
  const duration = metric(
    metrics,
    'watershed_api_request_duration_seconds',
    () =>
      new Histogram({
        name: 'watershed_api_request_duration_seconds',
        help: 'Console API request duration by method, route and status code',
        labelNames: ['method', 'route', 'status_code'] as const,
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [metrics],
      }),
  );
  const requests = metric(
    metrics,
    'watershed_api_requests_total',
    () =>
      new Counter({
        name: 'watershed_api_requests_total',
        help: 'Console API requests by method, route and status code',
        labelNames: ['method', 'route', 'status_code'] as const,
        registers: [metrics],
      }),
  );

  // Hooks on the root instance so every route is measured, not only this plugin's.
  app.addHook('onResponse', (req, reply, hookDone) => {
    const labels = {
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
    req.log.debug(
      { method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
    hookDone();
  });
}

/** `GET /metrics` in the Prometheus text format. */
export const metricsRoutes: FastifyPluginCallbackTypebox<{ metrics: Registry }> = (
  app,
  { metrics },
  done,
) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...errorResponses,
        },
      },
    },
    async (_req, reply) => {
      const text = await metrics.metrics();
      return reply.type(metrics.contentType).send(text);
    },
  );
  done();
};

/** Reuses a metric already in the registry, so two APIs built on one registry share it. */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
