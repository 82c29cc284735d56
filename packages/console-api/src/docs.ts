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
        description:
          'Points, samples and live data; users, API keys and the audit log; edge gateways, broker operations, rules, sinks and alarms of a Watershed server. Every /api/v1 route but login needs a session cookie or "Authorization: Bearer <API key>".',
        version,
      },
      tags: [
        { name: 'points', description: 'Point metadata and history' },
        { name: 'live', description: 'Streaming samples' },
        { name: 'operations', description: 'Health and metrics' },
        { name: 'auth', description: 'Login, logout, the current user, password change' },
        { name: 'users', description: 'Console users and their roles (admin)' },
        { name: 'api-keys', description: 'API keys for programs (admin)' },
        { name: 'audit', description: 'Who changed what, when and from where' },
        { name: 'fleet', description: 'Edge gateways, config versions, live writes' },
        { name: 'broker', description: 'MQTT clients, subscriptions, retained messages, bans' },
        { name: 'rules', description: 'Rule SQL, test runs and per-rule metrics' },
        { name: 'sinks', description: 'Data-integration sinks: health and counters' },
        { name: 'alarms', description: 'Active alarms, acknowledgement, shelving, alarm rules' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
