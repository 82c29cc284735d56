import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { openEmbeddedStore } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { installAuthentication } from '../auth/authenticate.js';
import { registerDocs } from '../docs.js';
import { fleetRoutes } from './routes.js';
import { FakeFleet } from './testing.js';

describe('fleet routes in the OpenAPI document', () => {
  it('lists every fleet route with its schemas under the fleet tag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-fleet-docs-'));
    const store = await openEmbeddedStore({ dir });
    const app = Fastify();
    try {
      await registerDocs(app, 'test');
      await app.register(
        async (api) => {
          const { access, auditor } = installAuthentication(api, { metadata: store.metadata });
          await api.register(fleetRoutes, { access, auditor, store, fleet: new FakeFleet(store) });
        },
        { prefix: '/api/v1' },
      );
      await app.ready();
      const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<string, Record<string, { tags?: string[] }>>;
      }>();
      const fleetPaths = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op.tags?.includes('fleet'))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(fleetPaths.sort()).toEqual(
        [
          'GET /api/v1/gateways',
          'POST /api/v1/gateways',
          'GET /api/v1/gateways/{id}',
          'DELETE /api/v1/gateways/{id}',
          'POST /api/v1/gateways/{id}/credentials',
          'DELETE /api/v1/gateways/{id}/credentials',
          'GET /api/v1/gateways/{id}/logs',
          'POST /api/v1/gateways/{id}/tags/{tag}/write',
          'GET /api/v1/gateways/{id}/configs',
          'GET /api/v1/gateways/{id}/configs/diff',
          'GET /api/v1/gateways/{id}/configs/{version}',
          'POST /api/v1/configs/push',
          'POST /api/v1/gateways/{id}/rollback',
          'GET /api/v1/gateways/{id}/tags',
          'PUT /api/v1/gateways/{id}/tags',
        ].sort(),
      );
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
