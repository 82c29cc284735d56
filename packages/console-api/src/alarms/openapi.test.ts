import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import type { AlarmService } from '@watershed/alarms';
import type { Access, Auditor } from '../auth/access.js';
import { registerDocs } from '../docs.js';
import { alarmsRoutes } from './routes.js';

/** The route schemas must turn into an OpenAPI document, as app.ts will register them after the docs. */
describe('alarms routes in the OpenAPI document', () => {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();

  beforeAll(async () => {
    await registerDocs(app, 'test');
    const guard = Object.assign(() => Promise.resolve(), { role: 'viewer' as const });
    const access = { require: () => guard } as unknown as Access;
    const auditor = {} as Auditor;
    await app.register(
      async (api) => {
        await api.register(alarmsRoutes, {
          access,
          auditor,
          alarms: {} as AlarmService,
          clock: new FakeClock(),
        });
      },
      { prefix: '/api/v1' },
    );
    await app.ready();
  });
  afterAll(async () => app.close());

  it('lists every alarm route under the alarms tag', async () => {
    const doc = (await app.inject('/docs/json')).json<{
      paths: Record<string, Record<string, { tags: string[] }>>;
    }>();
    const alarmPaths = Object.keys(doc.paths).filter((p) => p.includes('/alarm'));
    expect(alarmPaths.sort()).toEqual(
      [
        '/api/v1/alarms',
        '/api/v1/alarms/history',
        '/api/v1/alarms/live',
        '/api/v1/alarms/{id}',
        '/api/v1/alarms/{id}/ack',
        '/api/v1/alarms/{id}/shelve',
        '/api/v1/alarms/{id}/unshelve',
        '/api/v1/alarms/{id}/comments',
        '/api/v1/alarms/{id}/service',
        '/api/v1/alarm-rules',
        '/api/v1/alarm-rules/{id}',
        '/api/v1/alarm-rule-sets/{set}',
        '/api/v1/alarm-rule-sets/{set}/load',
      ].sort(),
    );
    for (const p of alarmPaths)
      for (const op of Object.values(doc.paths[p]!)) expect(op.tags).toEqual(['alarms']);
  });
});
