import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { buildConsoleApi } from '../app.js';
import { hashPassword } from '../auth/password.js';
import { authInject, bearerFor } from '../auth/testing.js';

const FAST = { N: 1024, r: 8, p: 1 };

interface UserAnswer {
  user: {
    id: string;
    name: string;
    role: string;
    project: string;
    mustChangePassword: boolean;
    disabled: boolean;
  };
  initialPassword?: string;
}

describe('/api/v1/users and /api/v1/api-keys', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let root: ReturnType<typeof authInject>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-users-'));
    store = await openEmbeddedStore({ dir });
    app = await buildConsoleApi({
      store,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
      auth: { passwordCost: FAST },
    });
    root = authInject(app, await bearerFor(store, 'admin', '*'));
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = (name: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { name, password } });

  it('creates a user with a one-time password shown once, to be changed at first login; audited without hashes', async () => {
    const res = await root({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'olga', role: 'operator', project: 'acme/north' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<UserAnswer>();
    expect(body.user).toMatchObject({
      name: 'olga',
      role: 'operator',
      project: 'acme/north',
      mustChangePassword: true,
    });
    expect(body.initialPassword).toHaveLength(18);
    expect((await login('olga', body.initialPassword!)).json()).toMatchObject({ mustChangePassword: true });

    const listed = await root('/api/v1/users');
    expect(JSON.stringify(listed.json())).not.toMatch(/scrypt|passwordHash/);
    const [entry] = (await store.metadata.audit.query({ action: 'user.create' })).entries;
    expect(entry).toMatchObject({
      resource: `user:${body.user.id}`,
      project: 'acme/north',
      after: { name: 'olga' },
    });
    expect(JSON.stringify(entry)).not.toMatch(/scrypt|passwordHash/);

    const dup = await root({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'olga', role: 'viewer', project: 'acme/north' },
    });
    expect(dup.statusCode).toBe(409);
    const weak = await root({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'pat', role: 'viewer', project: 'acme/north', password: 'pat' },
    });
    expect(weak.json()).toMatchObject({ code: 'WS_ERR_AUTH_WEAK_PASSWORD' });
    const badProject = await root({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'pat', role: 'viewer', project: 'acme' },
    });
    expect(badProject.json()).toMatchObject({ code: 'WS_ERR_USERS_BAD_PROJECT' });
  });

  it('keeps projects apart: a project admin sees and manages only its own users (404 for others)', async () => {
    const south = (
      await root({
        method: 'POST',
        url: '/api/v1/users',
        payload: { name: 'sam', role: 'viewer', project: 'acme/south' },
      })
    ).json<UserAnswer>().user;
    const north = (
      await root({
        method: 'POST',
        url: '/api/v1/users',
        payload: { name: 'nina', role: 'viewer', project: 'acme/north' },
      })
    ).json<UserAnswer>().user;
    const northAdmin = authInject(app, await bearerFor(store, 'admin', 'acme/north'));

    const list = await northAdmin('/api/v1/users?project=acme/south');
    expect(list.json<{ items: { name: string }[] }>().items.map((u) => u.name)).toEqual(['nina']);
    expect((await northAdmin(`/api/v1/users/${south.id}`)).statusCode).toBe(404);
    expect(
      (await northAdmin({ method: 'PATCH', url: `/api/v1/users/${south.id}`, payload: { disabled: true } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await northAdmin({ method: 'POST', url: `/api/v1/users/${south.id}/password`, payload: {} }))
        .statusCode,
    ).toBe(404);
    expect((await northAdmin(`/api/v1/users/${north.id}`)).statusCode).toBe(200);

    const elsewhere = await northAdmin({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'x1', role: 'viewer', project: 'acme/south' },
    });
    expect(elsewhere.json()).toMatchObject({ code: 'WS_ERR_USERS_OTHER_PROJECT' });
    const install = await northAdmin({
      method: 'PATCH',
      url: `/api/v1/users/${north.id}`,
      payload: { project: '*' },
    });
    expect(install.statusCode).toBe(403);
    // Without a project the user lands in the admin's own.
    const own = await northAdmin({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'x2', role: 'engineer' },
    });
    expect(own.json<UserAnswer>().user.project).toBe('acme/north');
  });

  it('keeps one installation admin when two admins are demoted at the same moment', async () => {
    const [a, b] = await Promise.all(
      ['first', 'second'].map(async (name) =>
        store.metadata.users.create({
          project: '*',
          name,
          role: 'admin',
          passwordHash: await hashPassword('x'.repeat(12), FAST),
        }),
      ),
    );
    // Reading the admins yields to the event loop, as a remote database would, so the two
    // requests interleave: each alone would see the other admin still there.
    const list = store.metadata.users.list.bind(store.metadata.users);
    vi.spyOn(store.metadata.users, 'list').mockImplementation(async (filter) => {
      const users = await list(filter);
      await new Promise((resolve) => setImmediate(resolve));
      return users;
    });
    const answers = await Promise.all(
      [a!, b!].map((u) =>
        root({ method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { role: 'engineer' } }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const admins = (await store.metadata.users.list({ project: '*' })).filter((u) => u.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it('never lets the last enabled installation admin be demoted, moved or disabled', async () => {
    const admin = await store.metadata.users.create({
      project: '*',
      name: 'admin',
      role: 'admin',
      passwordHash: await hashPassword('x'.repeat(12), FAST),
    });
    for (const payload of [{ role: 'engineer' }, { disabled: true }, { project: 'acme/north' }]) {
      const res = await root({ method: 'PATCH', url: `/api/v1/users/${admin.id}`, payload });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'WS_ERR_USERS_LAST_ADMIN' });
    }
    await root({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'second', role: 'admin', project: '*' },
    });
    const demoted = await root({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      payload: { role: 'engineer' },
    });
    expect(demoted.json()).toMatchObject({ role: 'engineer' });
    const [entry] = (await store.metadata.audit.query({ action: 'user.update' })).entries;
    expect(entry).toMatchObject({ before: { role: 'admin' }, after: { role: 'engineer' } });
  });

  it('disabling or resetting a password ends the user’s sessions', async () => {
    const created = (
      await root({
        method: 'POST',
        url: '/api/v1/users',
        payload: { name: 'dora', role: 'viewer', project: 'acme/north', password: 'first password 1' },
      })
    ).json<UserAnswer>().user;
    const cookie = String((await login('dora', 'first password 1')).headers['set-cookie']).split(';')[0]!;
    const me = () => app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);

    const reset = await root({ method: 'POST', url: `/api/v1/users/${created.id}/password`, payload: {} });
    const { initialPassword, user } = reset.json<UserAnswer>();
    expect(user.mustChangePassword).toBe(true);
    expect((await me()).statusCode).toBe(401);
    expect((await login('dora', 'first password 1')).statusCode).toBe(401);
    const again = String((await login('dora', initialPassword!)).headers['set-cookie']).split(';')[0]!;

    await root({ method: 'PATCH', url: `/api/v1/users/${created.id}`, payload: { disabled: true } });
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: again } })).statusCode).toBe(401);
  });

  it('API keys: shown once, capped at the creator’s role, revocable, isolated by project', async () => {
    const engineer = authInject(app, await bearerFor(store, 'engineer', 'acme/north'));
    const tooHigh = await engineer({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'ci', role: 'admin' },
    });
    expect(tooHigh.json()).toMatchObject({ code: 'WS_ERR_USERS_ROLE_TOO_HIGH' });

    const created = await engineer({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'scada', role: 'operator' },
    });
    const { apiKey, key } = created.json<{
      apiKey: { id: string; project: string; createdBy: string };
      key: string;
    }>();
    expect(key).toMatch(/^wsk_/);
    expect(apiKey.project).toBe('acme/north');
    const asKey = await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
    expect(asKey.json()).toMatchObject({ kind: 'apiKey', user: { role: 'operator', project: 'acme/north' } });

    const list = await engineer('/api/v1/api-keys');
    expect(list.body).not.toContain(key.split('_').at(-1));
    expect(list.json<{ items: { id: string }[] }>().items.map((k) => k.id)).toContain(apiKey.id);

    const southEngineer = authInject(app, await bearerFor(store, 'engineer', 'acme/south'));
    expect((await southEngineer({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}` })).statusCode).toBe(
      404,
    );
    expect(
      (await southEngineer('/api/v1/api-keys')).json<{ items: { id: string }[] }>().items.map((k) => k.id),
    ).not.toContain(apiKey.id);

    const revoked = await engineer({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}` });
    expect(revoked.json()).toMatchObject({ id: apiKey.id, revokedAt: expect.any(Number) as unknown });
    expect(
      (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } })).statusCode,
    ).toBe(401);
    const audit = (await store.metadata.audit.query({ resource: `api-key:${apiKey.id}` })).entries.map(
      (e) => e.action,
    );
    expect(audit).toEqual(['api-key.revoke', 'api-key.create']);
  });
});
