import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { sinksRoutes } from './routes.js';
import type { SinkInfo, SinkStatus } from './status.js';

const metrics = (m: Partial<SinkInfo['metrics']>): SinkInfo['metrics'] => ({
  matched: 0,
  success: 0,
  failed: 0,
  dropped: 0,
  queued: 0,
  inflight: 0,
  queuedMemory: 0,
  queuedDisk: 0,
  diskBytes: 0,
  recovered: 0,
  retries: 0,
  batches: 0,
  ...m,
});

const SINKS: SinkInfo[] = [
  {
    id: 'historian',
    type: 'influx-line',
    health: { state: 'down', alarm: false, failures: 3, lastError: 'connect ECONNREFUSED 10.0.0.9:8086' },
    metrics: metrics({ matched: 120, success: 100, queued: 20, retries: 3, batches: 5 }),
  },
  {
    id: 'scada-hook',
    type: 'http',
    health: { state: 'up', alarm: false, failures: 0 },
    metrics: metrics({ matched: 7, success: 7, batches: 2 }),
  },
];

describe('sinks routes of a server without a sink runtime (read-only)', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-sinks-api-'));
    store = await openEmbeddedStore({ dir });
    const sinks: SinkStatus = { list: () => SINKS, get: (id) => SINKS.find((s) => s.id === id) };
    api = await buildTestApi(store, async (app, { access }) => {
      await app.register(sinksRoutes, { access, store, sinks });
    });
    const rule = (id: string, project: string, sink: string) =>
      store.metadata.rules.put({
        id,
        project,
        name: id,
        enabled: true,
        definition: { sql: 'SELECT * FROM "t"', actions: [{ type: 'sink', sink }], origin: 'api' },
      });
    await rule('north-hist', 'acme/north', 'historian');
    await rule('south-hist', 'acme/south', 'historian');
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every sink with its health and metrics to every role; rules only of the caller’s project', async () => {
    for (const role of ROLES) {
      const res = await api.inject({
        method: 'GET',
        url: '/api/v1/sinks',
        headers: { authorization: await bearerFor(store, role, 'acme/north') },
      });
      expect(res.statusCode, role).toBe(200);
      expect(res.json()).toEqual({
        items: [
          { ...SINKS[0], origin: 'file', enabled: true, rules: ['north-hist'] },
          { ...SINKS[1], origin: 'file', enabled: true, rules: [] },
        ],
      });
    }
    const south = await api.inject({
      method: 'GET',
      url: '/api/v1/sinks/historian',
      headers: { authorization: await bearerFor(store, 'viewer', 'acme/south') },
    });
    expect(south.json()).toMatchObject({ id: 'historian', rules: ['south-hist'] });
    const global = await api.inject({
      method: 'GET',
      url: '/api/v1/sinks/historian',
      headers: { authorization: await bearerFor(store, 'admin', '*') },
    });
    expect(global.json()).toMatchObject({ rules: ['north-hist', 'south-hist'] });
  });

  it('answers 404 for an unknown sink and 401 without credentials', async () => {
    const viewer = await bearerFor(store, 'viewer');
    const res = await api.inject({
      method: 'GET',
      url: '/api/v1/sinks/nope',
      headers: { authorization: viewer },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WS_ERR_SINK_NOT_FOUND' });
    expect((await api.inject({ method: 'GET', url: '/api/v1/sinks' })).statusCode).toBe(401);
  });
});
