import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Gateway, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { fleetRoutes } from './routes.js';
import { FakeFleet } from './testing.js';

const CONFIG = {
  devices: [
    {
      name: 'plc',
      driver: 'modbus-tcp',
      config: {},
      groups: [
        {
          name: 'g',
          intervalMs: 1000,
          tags: [{ name: 'sp', address: '1!400001', dataType: 'float', writable: true }],
        },
      ],
    },
  ],
};
const CSV = 'device,group,name,address,dataType\r\nplc,g,sp,1!400001,float\r\nplc,g,level,1!400002,float\r\n';

let n = 0;
const node = () => `gw${++n}`;

/** Every mutating endpoint, prepared against a fresh gateway `:id` with config version 1. */
const MUTATIONS: {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: () => object | string;
  csv?: boolean;
  ok: number;
  role: Role;
}[] = [
  {
    name: 'register',
    method: 'POST',
    url: '/api/v1/gateways',
    body: () => ({ site: 'north', node: node(), name: 'New' }),
    ok: 201,
    role: 'engineer',
  },
  { name: 'rotate', method: 'POST', url: '/api/v1/gateways/:id/credentials', ok: 200, role: 'engineer' },
  { name: 'revoke', method: 'DELETE', url: '/api/v1/gateways/:id/credentials', ok: 200, role: 'engineer' },
  { name: 'delete', method: 'DELETE', url: '/api/v1/gateways/:id', ok: 204, role: 'engineer' },
  {
    name: 'push',
    method: 'POST',
    url: '/api/v1/configs/push',
    body: () => ({ gateways: [':id'], config: CONFIG }),
    ok: 200,
    role: 'engineer',
  },
  {
    name: 'rollback',
    method: 'POST',
    url: '/api/v1/gateways/:id/rollback',
    body: () => ({ version: 1 }),
    ok: 200,
    role: 'engineer',
  },
  {
    name: 'import tags',
    method: 'PUT',
    url: '/api/v1/gateways/:id/tags',
    body: () => CSV,
    csv: true,
    ok: 200,
    role: 'engineer',
  },
  {
    name: 'write',
    method: 'POST',
    url: '/api/v1/gateways/:id/tags/g.sp/write',
    body: () => ({ value: 1, confirm: true }),
    ok: 200,
    role: 'operator',
  },
];

describe('fleet routes: authorisation and project isolation', () => {
  let dir: string;
  let store: Store;
  let fleet: FakeFleet;
  let api: FastifyInstance;
  const keys = {} as Record<Role, string>;
  let south: string;
  let gw: Gateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-fleet-acl-'));
    store = await openEmbeddedStore({ dir });
    fleet = new FakeFleet(store);
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(fleetRoutes, { access, auditor, store, fleet });
    });
    for (const role of ROLES) keys[role] = await bearerFor(store, role, 'acme/north');
    south = await bearerFor(store, 'admin', 'acme/south');
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    gw = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'north', node: node(), name: 'M' })
    ).gateway;
    await fleet.push([gw], CONFIG, 'setup');
    fleet.online.add(gw.node);
  });

  const send = (m: (typeof MUTATIONS)[number], authorization: string) => {
    const body = m.body?.();
    const payload =
      typeof body === 'string' ? body : body && JSON.parse(JSON.stringify(body).replaceAll(':id', gw.id));
    return api.inject({
      method: m.method,
      url: m.url.replace(':id', gw.id),
      headers: { authorization, ...(m.csv && { 'content-type': 'text/csv' }) },
      ...(payload !== undefined && { payload }),
    });
  };

  for (const m of MUTATIONS) {
    for (const role of ROLES) {
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(m.role);
      it(`${m.name} is ${allowed ? 'allowed' : 'refused'} for ${role}`, async () => {
        const audited = (await store.metadata.audit.query({ limit: 1000 })).entries.length;
        const versions = (await store.metadata.edgeConfigs.list(gw.node)).length;
        const res = await send(m, keys[role]);
        expect(res.statusCode, res.body).toBe(allowed ? m.ok : 403);
        const after = (await store.metadata.audit.query({ limit: 1000 })).entries.length;
        if (allowed) {
          expect(after, 'audited').toBe(audited + 1);
        } else {
          expect(res.json()).toMatchObject({ code: 'WS_ERR_FORBIDDEN' });
          expect(after).toBe(audited);
          expect(await store.metadata.gateways.get(gw.id)).toEqual(gw);
          expect(await store.metadata.edgeConfigs.list(gw.node)).toHaveLength(versions);
        }
      });
    }
  }

  it('reads are open to every role of the project, and refused without credentials', async () => {
    const urls = [
      '',
      `/${gw.id}`,
      `/${gw.id}/configs`,
      `/${gw.id}/configs/1`,
      `/${gw.id}/configs/diff?from=1&to=1`,
      `/${gw.id}/logs`,
      `/${gw.id}/tags`,
    ];
    for (const role of ROLES) {
      for (const u of urls) {
        const res = await api.inject({
          method: 'GET',
          url: `/api/v1/gateways${u}`,
          headers: { authorization: keys[role] },
        });
        expect(res.statusCode, `${role} GET ${u}`).toBe(200);
      }
    }
    expect((await api.inject({ method: 'GET', url: '/api/v1/gateways' })).statusCode).toBe(401);
  });

  it("another project's admin sees nothing of the gateway and cannot touch it (404, never 403)", async () => {
    const list = await api.inject({
      method: 'GET',
      url: '/api/v1/gateways',
      headers: { authorization: south },
    });
    expect(list.json()).toEqual({ items: [] });
    for (const u of [
      `/${gw.id}`,
      `/${gw.id}/configs`,
      `/${gw.id}/configs/1`,
      `/${gw.id}/logs`,
      `/${gw.id}/tags`,
    ]) {
      const res = await api.inject({
        method: 'GET',
        url: `/api/v1/gateways${u}`,
        headers: { authorization: south },
      });
      expect(res.statusCode, u).toBe(404);
    }
    for (const m of MUTATIONS.filter((x) => x.name !== 'register')) {
      const res = await send(m, south);
      expect(res.statusCode, m.name).toBe(404);
      expect(res.json()).toMatchObject({ code: 'WS_ERR_FLEET_GATEWAY_NOT_FOUND' });
    }
    expect(await store.metadata.gateways.get(gw.id)).toEqual(gw);
    expect(await store.metadata.edgeConfigs.list(gw.node)).toHaveLength(1);
    expect(fleet.writes.filter((w) => w.node === gw.node)).toEqual([]);
    // Its own gateways are registered in its own project, whatever the body says.
    const created = await api.inject({
      method: 'POST',
      url: '/api/v1/gateways',
      headers: { authorization: south },
      payload: { site: 'south', node: node(), name: 'S', project: 'acme/north' },
    });
    expect(created.json()).toMatchObject({ gateway: { project: 'acme/south' } });
  });
});
