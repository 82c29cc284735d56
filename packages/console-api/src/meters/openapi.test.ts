import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { openEmbeddedStore } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { installAuthentication } from '../auth/authenticate.js';
import { registerDocs } from '../docs.js';
import { metersRoutes } from './routes.js';

describe('meters routes in the OpenAPI document', () => {
  it('lists the uplink and registry routes under the meters tag, the uplink with its 202 answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-meters-docs-'));
    const store = await openEmbeddedStore({ dir });
    const app = Fastify();
    try {
      await registerDocs(app, 'test');
      await app.register(
        async (api) => {
          const { access } = installAuthentication(api, { metadata: store.metadata });
          await api.register(metersRoutes, {
            access,
            uplink: { vendor: () => undefined },
            registry: {
              list: () => Promise.resolve([]),
              get: () => Promise.resolve(undefined),
              readings: () => Promise.resolve([]),
            },
          });
        },
        { prefix: '/api/v1' },
      );
      await app.ready();
      const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<string, Record<string, { tags?: string[]; responses?: Record<string, unknown> }>>;
      }>();
      const paths = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => op.tags?.includes('meters'))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(paths.sort()).toEqual(
        ['GET /api/v1/meters', 'GET /api/v1/meters/{id}', 'POST /api/v1/meters/uplink/{vendor}'].sort(),
      );
      expect(Object.keys(doc.paths['/api/v1/meters/uplink/{vendor}']!.post!.responses ?? {})).toContain(
        '202',
      );
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
