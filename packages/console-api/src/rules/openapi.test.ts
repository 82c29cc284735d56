import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { openEmbeddedStore } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { installAuthentication } from '../auth/authenticate.js';
import { registerDocs } from '../docs.js';
import { sinksRoutes } from '../sinks/routes.js';
import { rulesRoutes } from './routes.js';
import { FakeRuleRuntime } from './testing.js';

describe('rules and sinks in the OpenAPI document', () => {
  it('lists every route with its tag, request body and error answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-rules-openapi-'));
    const store = await openEmbeddedStore({ dir });
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    try {
      await registerDocs(app, 'test');
      await app.register(
        async (api) => {
          const { access, auditor } = installAuthentication(api, { metadata: store.metadata });
          await api.register(rulesRoutes, { access, auditor, store, runtime: new FakeRuleRuntime() });
          await api.register(sinksRoutes, { access, store, sinks: { list: () => [], get: () => undefined } });
        },
        { prefix: '/api/v1' },
      );
      await app.ready();
      const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
        paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; responses: object }>>;
      }>();
      expect(
        Object.keys(doc.paths)
          .filter((p) => /rules|sinks/.test(p))
          .sort(),
      ).toEqual([
        '/api/v1/rules',
        '/api/v1/rules/test',
        '/api/v1/rules/{id}',
        '/api/v1/rules/{id}/disable',
        '/api/v1/rules/{id}/enable',
        '/api/v1/rules/{id}/metrics',
        '/api/v1/sinks',
        '/api/v1/sinks/{id}',
      ]);
      expect(doc.paths['/api/v1/rules']?.['post']).toMatchObject({
        tags: ['rules'],
        requestBody: expect.anything(),
      });
      expect(doc.paths['/api/v1/rules']?.['post']?.responses).toHaveProperty('400');
      expect(doc.paths['/api/v1/sinks/{id}']?.['get']?.tags).toEqual(['sinks']);
    } finally {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
