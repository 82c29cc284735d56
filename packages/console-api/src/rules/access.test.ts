import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { rulesRoutes } from './routes.js';
import { FakeRuleRuntime } from './testing.js';

const SQL = 'SELECT payload AS p FROM "ws/v1/+/+/+/data"';

/** Every mutating endpoint, each prepared against a fresh rule `m` at revision 1. */
const MUTATIONS: {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: object;
  ok: number;
}[] = [
  {
    name: 'create',
    method: 'POST',
    url: '/api/v1/rules',
    body: { id: 'new', name: 'New', sql: SQL },
    ok: 201,
  },
  {
    name: 'replace',
    method: 'PUT',
    url: '/api/v1/rules/m',
    body: { name: 'M', sql: SQL, revision: 1 },
    ok: 200,
  },
  { name: 'delete', method: 'DELETE', url: '/api/v1/rules/m', ok: 204 },
  { name: 'enable', method: 'POST', url: '/api/v1/rules/m/enable', ok: 200 },
  { name: 'disable', method: 'POST', url: '/api/v1/rules/m/disable', ok: 200 },
  {
    name: 'test',
    method: 'POST',
    url: '/api/v1/rules/test',
    body: { sql: SQL, context: { topic: 't' } },
    ok: 200,
  },
];
const ALLOWED: Record<Role, boolean> = { viewer: false, operator: false, engineer: true, admin: true };

describe('rules routes: authorisation and project isolation', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const keys = {} as Record<Role, string>;
  let south: string;
  let global: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-rules-acl-'));
    store = await openEmbeddedStore({ dir });
    const runtime = new FakeRuleRuntime();
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(rulesRoutes, { access, auditor, store, runtime });
    });
    for (const role of ROLES) keys[role] = await bearerFor(store, role, 'acme/north');
    south = await bearerFor(store, 'admin', 'acme/south');
    global = await bearerFor(store, 'admin', '*');
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    for (const r of await store.metadata.rules.list()) await store.metadata.rules.delete(r.id);
    await store.metadata.rules.put({
      id: 'm',
      project: 'acme/north',
      name: 'M',
      enabled: true,
      definition: { sql: SQL, actions: [], origin: 'api' },
    });
  });

  for (const m of MUTATIONS) {
    for (const role of ROLES) {
      const allowed = ALLOWED[role];
      it(`${m.name} is ${allowed ? 'allowed' : 'refused'} for ${role}`, async () => {
        const res = await api.inject({
          method: m.method,
          url: m.url,
          headers: { authorization: keys[role] },
          ...(m.body && { payload: m.body }),
        });
        expect(res.statusCode, res.body).toBe(allowed ? m.ok : 403);
        if (!allowed) {
          expect(res.json()).toMatchObject({ code: 'WS_ERR_FORBIDDEN' });
          expect(await store.metadata.rules.get('m')).toMatchObject({ revision: 1 });
        }
      });
    }
  }

  it('reads are open to every role of the project, and refused without credentials', async () => {
    for (const role of ROLES) {
      for (const url of ['/api/v1/rules', '/api/v1/rules/m', '/api/v1/rules/m/metrics']) {
        const res = await api.inject({ method: 'GET', url, headers: { authorization: keys[role] } });
        expect(res.statusCode, `${role} GET ${url}`).toBe(200);
      }
    }
    expect((await api.inject({ method: 'GET', url: '/api/v1/rules' })).statusCode).toBe(401);
  });

  it("another project's admin sees nothing of the rule and cannot touch it (404, never 403)", async () => {
    const list = await api.inject({ method: 'GET', url: '/api/v1/rules', headers: { authorization: south } });
    expect(list.json()).toEqual({ items: [] });
    for (const url of ['/api/v1/rules/m', '/api/v1/rules/m/metrics']) {
      const res = await api.inject({ method: 'GET', url, headers: { authorization: south } });
      expect(res.statusCode, url).toBe(404);
    }
    for (const m of MUTATIONS.filter((x) => x.url.includes('/m'))) {
      const res = await api.inject({
        method: m.method,
        url: m.url,
        headers: { authorization: south },
        ...(m.body && { payload: m.body }),
      });
      expect(res.statusCode, m.name).toBe(404);
      expect(res.json()).toMatchObject({ code: 'WS_ERR_RULE_NOT_FOUND' });
    }
    expect(await store.metadata.rules.get('m')).toMatchObject({ revision: 1, enabled: true });
    // Its own rules are created in its own project, whatever the body says.
    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: { authorization: south },
      payload: { id: 's1', name: 'S1', sql: SQL, project: 'acme/north' },
    });
    expect(created.json()).toMatchObject({ project: 'acme/south' });
    const northList = await api.inject({
      method: 'GET',
      url: '/api/v1/rules',
      headers: { authorization: keys.viewer },
    });
    expect(northList.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual(['m']);
  });

  it('an installation-wide admin sees every project and must name the project to create', async () => {
    await store.metadata.rules.put({
      id: 's2',
      project: 'acme/south',
      name: 'S2',
      enabled: true,
      definition: { sql: SQL, actions: [], origin: 'api' },
    });
    const all = await api.inject({ method: 'GET', url: '/api/v1/rules', headers: { authorization: global } });
    expect(all.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual(['m', 's2']);
    const one = await api.inject({
      method: 'GET',
      url: '/api/v1/rules?project=acme/south',
      headers: { authorization: global },
    });
    expect(one.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual(['s2']);
    const noProject = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: { authorization: global },
      payload: { name: 'G', sql: SQL },
    });
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json()).toMatchObject({ code: 'WS_ERR_RULE_PROJECT_REQUIRED' });
    const withProject = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: { authorization: global },
      payload: { name: 'G', sql: SQL, project: 'acme/east' },
    });
    expect(withProject.json()).toMatchObject({ project: 'acme/east' });
  });
});
