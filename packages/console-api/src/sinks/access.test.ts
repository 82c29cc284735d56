import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleAtLeast } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { sinksRoutes } from './routes.js';
import { SECRET_MASK } from './secrets.js';
import { FakeSinkRuntime } from './testing.js';

const URL_A = 'http://a.example/hook';

/** Every mutating sinks route, prepared on a sink `id` that exists in the caller's project. */
const MUTATIONS: {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: (id: string) => string;
  body?: (id: string) => object;
  ok: number;
}[] = [
  {
    name: 'create',
    method: 'POST',
    url: () => '/api/v1/sinks',
    body: (id) => ({ id: `${id}-new`, type: 'http', config: { url: URL_A } }),
    ok: 201,
  },
  {
    name: 'replace',
    method: 'PUT',
    url: (id) => `/api/v1/sinks/${id}`,
    body: () => ({ config: { url: URL_A } }),
    ok: 200,
  },
  { name: 'delete', method: 'DELETE', url: (id) => `/api/v1/sinks/${id}`, ok: 200 },
  { name: 'enable', method: 'POST', url: (id) => `/api/v1/sinks/${id}/enable`, ok: 200 },
  { name: 'disable', method: 'POST', url: (id) => `/api/v1/sinks/${id}/disable`, ok: 200 },
  { name: 'test saved', method: 'POST', url: (id) => `/api/v1/sinks/${id}/test`, body: () => ({}), ok: 200 },
  {
    name: 'test new',
    method: 'POST',
    url: () => '/api/v1/sinks/test',
    body: () => ({ type: 'http', config: { url: URL_A } }),
    ok: 200,
  },
];

describe('sinks routes: authorisation, project isolation, secrets', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const runtime = new FakeSinkRuntime();
  let n = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-sinks-access-'));
    store = await openEmbeddedStore({ dir });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(sinksRoutes, { access, auditor, store, runtime });
    });
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A stored sink of `project`, as if made through the API. */
  const sink = async (project: string, config: Record<string, string> = { url: URL_A }) => {
    const id = `s${++n}`;
    await store.metadata.sinks.put({ id, project, type: 'http', enabled: true, config });
    return id;
  };

  for (const m of MUTATIONS) {
    it(`${m.name}: engineer and admin may, viewer and operator get 403`, async () => {
      for (const role of ROLES) {
        const id = await sink('acme/north');
        const res = await api.inject({
          method: m.method,
          url: m.url(id),
          headers: { authorization: await bearerFor(store, role, 'acme/north') },
          ...(m.body && { payload: m.body(id) }),
        });
        expect(res.statusCode, `${role} ${res.body}`).toBe(roleAtLeast(role, 'engineer') ? m.ok : 403);
      }
    });
  }

  it('another project’s sink is 404 for reads and every change; the installation admin sees it', async () => {
    const id = await sink('acme/south');
    const north = await bearerFor(store, 'admin', 'acme/north');
    const get = await api.inject({
      method: 'GET',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: north },
    });
    expect(get.statusCode).toBe(404);
    const list = await api.inject({ method: 'GET', url: '/api/v1/sinks', headers: { authorization: north } });
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).not.toContain(id);
    for (const m of MUTATIONS.filter((x) => x.url(id).includes(id))) {
      const res = await api.inject({
        method: m.method,
        url: m.url(id),
        headers: { authorization: north },
        ...(m.body && { payload: m.body(id) }),
      });
      expect(res.statusCode, m.name).toBe(404);
      expect(res.json()).toMatchObject({ code: 'WS_ERR_SINK_NOT_FOUND' });
    }
    expect(await store.metadata.sinks.get(id)).toMatchObject({ project: 'acme/south' });
    const root = await bearerFor(store, 'admin', '*');
    const seen = await api.inject({
      method: 'GET',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: root },
    });
    expect(seen.json()).toMatchObject({ id, project: 'acme/south', origin: 'api' });
  });

  it('an installation-wide principal must name the project of a new sink', async () => {
    const root = await bearerFor(store, 'admin', '*');
    const body = { id: 'root-made', type: 'http', config: { url: URL_A } };
    const bare = await api.inject({
      method: 'POST',
      url: '/api/v1/sinks',
      headers: { authorization: root },
      payload: body,
    });
    expect(bare.json()).toMatchObject({ code: 'WS_ERR_SINK_PROJECT_REQUIRED' });
    const named = await api.inject({
      method: 'POST',
      url: '/api/v1/sinks',
      headers: { authorization: root },
      payload: { ...body, project: 'acme/east' },
    });
    expect(named.statusCode).toBe(201);
    expect(named.json()).toMatchObject({ project: 'acme/east' });
  });

  it('masks secrets in reads and audit, keeps them when the mask comes back, and refuses a type change', async () => {
    const id = await sink('acme/north', { url: 'https://ops:pw1@a.example/hook', token: 't0ken' });
    const auth = await bearerFor(store, 'engineer', 'acme/north');
    const got = await api.inject({
      method: 'GET',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: auth },
    });
    const config = got.json<{ config: Record<string, string> }>().config;
    expect(config).toEqual({ url: `https://ops:${SECRET_MASK}@a.example/hook`, token: SECRET_MASK });
    const put = await api.inject({
      method: 'PUT',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: auth },
      payload: { config: { ...config, url: config['url']!.replace('a.example', 'b.example') } },
    });
    expect(put.statusCode).toBe(200);
    expect((await store.metadata.sinks.get(id))?.config).toEqual({
      url: 'https://ops:pw1@b.example/hook',
      token: 't0ken',
    });
    expect(runtime.applied.at(-1)?.config).toEqual({ url: 'https://ops:pw1@b.example/hook', token: 't0ken' });
    const audit = await store.metadata.audit.query({ resource: `sink:${id}` });
    expect(JSON.stringify(audit.entries)).not.toMatch(/pw1|t0ken/);
    const retype = await api.inject({
      method: 'PUT',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: auth },
      payload: { type: 'postgres', config },
    });
    expect(retype.json()).toMatchObject({ code: 'WS_ERR_SINK_TYPE_CHANGE' });
  });

  it('answers a stale revision with 409 and leaves the sink as it was', async () => {
    const id = await sink('acme/north');
    const auth = await bearerFor(store, 'engineer', 'acme/north');
    const res = await api.inject({
      method: 'PUT',
      url: `/api/v1/sinks/${id}`,
      headers: { authorization: auth },
      payload: { config: { url: 'http://c.example/' }, revision: 7 },
    });
    expect(res.statusCode).toBe(409);
    expect((await store.metadata.sinks.get(id))?.config).toEqual({ url: URL_A });
  });

  it('file sinks are listed to every project, masked', async () => {
    const auth = await bearerFor(store, 'viewer', 'acme/west');
    const list = await api.inject({ method: 'GET', url: '/api/v1/sinks', headers: { authorization: auth } });
    const file = list.json<{ items: Record<string, unknown>[] }>().items.find((s) => s['id'] === 'file-sink');
    expect(file).toMatchObject({ origin: 'file', config: { token: SECRET_MASK } });
    const types = await api.inject({
      method: 'GET',
      url: '/api/v1/sink-types',
      headers: { authorization: auth },
    });
    expect(types.json()).toMatchObject({ items: [{ type: 'http' }] });
  });
});
