import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3 document, generated from the route schemas (themselves built from the model's
 * schemas), at `/docs/json`, with swagger-ui at `/docs`. Must be registered before the routes
 * so @fastify/swagger sees each one as it is added.
 */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Watershed console API',
        description: 'Points, samples, live data and operations of a Watershed server.',
        version,
      },
      tags: [
        { name: 'points', description: 'Point metadata and history' },
        { name: 'live', description: 'Streaming samples' },
        { name: 'operations', description: 'Health and metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
