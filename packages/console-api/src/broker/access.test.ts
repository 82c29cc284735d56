import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES, roleAtLeast, type Role } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { brokerRoutes } from './routes.js';
import { FakeBrokerOperations } from './testing.js';

/**
 * Every mutating endpoint with the least role it needs, each prepared against a fresh fake:
 * client `c1`, retained `t/1`, ban `ban-1`, runtime user `u1`, runtime rule `rule-1`. Kicks,
 * retained deletes and bans take access away (engineer); users and ACL rules grant it (admin).
 */
const MUTATIONS: {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: object;
  ok: number;
  role: Role;
}[] = [
  { name: 'kick', method: 'DELETE', url: '/api/v1/broker/clients/c1', ok: 204, role: 'engineer' },
  {
    name: 'delete retained',
    method: 'DELETE',
    url: '/api/v1/broker/retained?topic=t/1',
    ok: 204,
    role: 'engineer',
  },
  {
    name: 'ban',
    method: 'POST',
    url: '/api/v1/broker/bans',
    body: { username: 'u' },
    ok: 201,
    role: 'engineer',
  },
  { name: 'unban', method: 'DELETE', url: '/api/v1/broker/bans/ban-1', ok: 204, role: 'engineer' },
  {
    name: 'add user',
    method: 'POST',
    url: '/api/v1/broker/users',
    body: { username: 'u2', password: 'p' },
    ok: 201,
    role: 'admin',
  },
  {
    name: 'change user',
    method: 'PUT',
    url: '/api/v1/broker/users/u1',
    body: { roles: ['r'] },
    ok: 200,
    role: 'admin',
  },
  { name: 'delete user', method: 'DELETE', url: '/api/v1/broker/users/u1', ok: 204, role: 'admin' },
  {
    name: 'add ACL rule',
    method: 'POST',
    url: '/api/v1/broker/acl',
    body: { permission: 'deny', action: 'all', topic: 'x/#' },
    ok: 201,
    role: 'admin',
  },
  {
    name: 'move ACL rule',
    method: 'PUT',
    url: '/api/v1/broker/acl/rule-1',
    body: { position: 0 },
    ok: 200,
    role: 'admin',
  },
  { name: 'delete ACL rule', method: 'DELETE', url: '/api/v1/broker/acl/rule-1', ok: 204, role: 'admin' },
];
const READS = [
  'clients',
  'clients/c1',
  'subscriptions',
  'retained',
  'listeners',
  'bans',
  'stats',
  'users',
  'acl',
].map((p) => `/api/v1/broker/${p}`);

describe('broker routes: authorisation and project isolation', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const broker = new FakeBrokerOperations();
  const installation = {} as Record<Role, string>;
  const project = {} as Record<Role, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-broker-acl-'));
    store = await openEmbeddedStore({ dir });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(brokerRoutes, { access, auditor, broker });
    });
    for (const role of ROLES) {
      installation[role] = await bearerFor(store, role, '*');
      project[role] = await bearerFor(store, role, 'acme/north');
    }
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    broker.clear();
    broker.createUser({ username: 'u1', password: 'p' });
    broker.createAclRule({ permission: 'allow', action: 'all', topic: 'y/#' });
    broker.addClient('c1');
    broker.addRetained('t/1', 'x');
    broker.banMap.set('ban-1', {
      id: 'ban-1',
      source: 'operator',
      reason: 'r',
      createdBy: 't',
      clientId: 'x',
    });
  });

  const unchanged = (): void => {
    expect(broker.clientMap.has('c1')).toBe(true);
    expect(broker.retainedMap.has('t/1')).toBe(true);
    expect([...broker.banMap.keys()]).toEqual(['ban-1']);
    expect([...broker.userMap.keys()].sort()).toEqual(['file-user', 'u1']);
    expect(broker.userMap.get('u1')?.roles).toEqual([]);
    expect(broker.rules.map((r) => r.id)).toEqual(['rule-1', 'file-0']);
  };

  for (const m of MUTATIONS) {
    for (const role of ROLES) {
      const allowed = roleAtLeast(role, m.role);
      it(`${m.name} is ${allowed ? 'allowed' : 'refused'} for an installation-wide ${role}`, async () => {
        broker.banMap.clear();
        broker.banMap.set('ban-1', {
          id: 'ban-1',
          source: 'operator',
          reason: 'r',
          createdBy: 't',
          clientId: 'x',
        });
        const res = await api.inject({
          method: m.method,
          url: m.url,
          headers: { authorization: installation[role] },
          ...(m.body && { payload: m.body }),
        });
        expect(res.statusCode, res.body).toBe(allowed ? m.ok : 403);
        if (!allowed) {
          expect(res.json()).toMatchObject({ code: 'WS_ERR_FORBIDDEN' });
          unchanged();
        }
      });
    }
  }

  it('reads are open to every installation-wide role, and refused without credentials', async () => {
    for (const role of ROLES) {
      for (const url of READS) {
        const res = await api.inject({ method: 'GET', url, headers: { authorization: installation[role] } });
        expect(res.statusCode, `${role} GET ${url}: ${res.body}`).toBe(200);
      }
    }
    for (const url of READS) expect((await api.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('a principal of one project, even its admin, sees and changes nothing of the installation-wide broker', async () => {
    for (const role of ROLES) {
      for (const url of READS) {
        const res = await api.inject({ method: 'GET', url, headers: { authorization: project[role] } });
        expect(res.statusCode, `${role} GET ${url}`).toBe(403);
        expect(res.json().code).toBe('WS_ERR_BROKER_INSTALLATION_ONLY');
        expect(res.body).not.toContain('c1');
      }
    }
    for (const m of MUTATIONS) {
      const res = await api.inject({
        method: m.method,
        url: m.url,
        headers: { authorization: project.admin },
        ...(m.body && { payload: m.body }),
      });
      expect(res.statusCode, m.name).toBe(403);
      expect(res.json().code, m.name).toBe('WS_ERR_BROKER_INSTALLATION_ONLY');
    }
    unchanged();
  });
});
