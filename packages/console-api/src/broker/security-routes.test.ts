import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authInject, bearerFor, buildTestApi } from '../auth/testing.js';
import { brokerRoutes } from './routes.js';
import { FakeBrokerOperations } from './testing.js';

/** The runtime users and ACL routes over the fake operations, as an installation-wide admin. */
describe('broker users and ACL routes', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  const broker = new FakeBrokerOperations();
  let req: ReturnType<typeof authInject>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-broker-security-api-'));
    store = await openEmbeddedStore({ dir });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(brokerRoutes, { access, auditor, broker });
    });
    req = authInject(api, await bearerFor(store, 'admin', '*'));
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    broker.clear();
  });

  const audit = async (resource: string) =>
    (await store.metadata.audit.query({})).entries.filter((e) => e.resource === resource);

  it('adds, changes and removes a user; the password reaches the broker but never a response or the audit log', async () => {
    const created = await req({
      method: 'POST',
      url: '/api/v1/broker/users',
      payload: { username: 'meter-7', password: 'hunter2-secret', roles: ['meters'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      username: 'meter-7',
      source: 'runtime',
      passwordScheme: 'scrypt',
      scram: true,
      roles: ['meters'],
    });
    expect(broker.passwords.get('meter-7')).toBe('hunter2-secret');

    const changed = await req({
      method: 'PUT',
      url: '/api/v1/broker/users/meter-7',
      payload: { password: 'rotated-secret', roles: [] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ roles: [] });
    expect(broker.passwords.get('meter-7')).toBe('rotated-secret');

    expect((await req({ method: 'DELETE', url: '/api/v1/broker/users/meter-7' })).statusCode).toBe(204);
    expect((await req({ method: 'DELETE', url: '/api/v1/broker/users/meter-7' })).json()).toMatchObject({
      code: 'WS_ERR_BROKER_USER_NOT_FOUND',
    });

    const entries = await audit('broker-user:meter-7');
    expect(entries.map((e) => e.action).sort()).toEqual([
      'broker-user.create',
      'broker-user.delete',
      'broker-user.update',
    ]);
    const update = entries.find((e) => e.action === 'broker-user.update')!;
    expect(update.before).toMatchObject({ roles: ['meters'] });
    expect(update.after).toMatchObject({ roles: [], password: '********' });
    expect(JSON.stringify(entries)).not.toMatch(/hunter2|rotated-secret/);
  });

  it('refuses duplicates, config-file users and malformed bodies with the catalog code', async () => {
    const dup = await req({
      method: 'POST',
      url: '/api/v1/broker/users',
      payload: { username: 'file-user', password: 'x' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('WS_ERR_MQTT_ADMIN_USER_EXISTS');
    const readOnly = await req({ method: 'DELETE', url: '/api/v1/broker/users/file-user' });
    expect(readOnly.statusCode).toBe(409);
    expect(readOnly.json().code).toBe('WS_ERR_MQTT_ADMIN_READ_ONLY');
    for (const payload of [
      { username: 'a' },
      { username: '', password: 'x' },
      { username: 'a', password: 'x', hash: 'h' },
    ])
      expect(
        (await req({ method: 'POST', url: '/api/v1/broker/users', payload })).statusCode,
        JSON.stringify(payload),
      ).toBe(400);
    expect(
      (await req({ method: 'PUT', url: '/api/v1/broker/users/nobody', payload: { roles: [] } })).statusCode,
    ).toBe(404);
    expect(
      (await req({ method: 'PUT', url: '/api/v1/broker/users/file-user', payload: {} })).statusCode,
    ).toBe(400);
    expect(broker.userMap.size).toBe(1);
  });

  it('adds rules at a position, moves and changes them, and removes them; file rules are read-only', async () => {
    const add = async (payload: object) => {
      const res = await req({ method: 'POST', url: '/api/v1/broker/acl', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; index: number }>();
    };
    const a = await add({ permission: 'deny', action: 'publish', topic: 'ws/v1/+/+/mgmt/#' });
    const b = await add({
      permission: 'allow',
      action: 'all',
      topic: 'lab/%c/#',
      who: { username: 'lab' },
      position: 0,
    });
    expect(b.index).toBe(0);
    const ids = async () =>
      (await req('/api/v1/broker/acl')).json<{ rules: { id: string }[] }>().rules.map((r) => r.id);
    expect(await ids()).toEqual([b.id, a.id, 'file-0']);

    const moved = await req({ method: 'PUT', url: `/api/v1/broker/acl/${a.id}`, payload: { position: 0 } });
    expect(moved.json()).toMatchObject({ id: a.id, index: 0 });
    expect(await ids()).toEqual([a.id, b.id, 'file-0']);
    const changed = await req({
      method: 'PUT',
      url: `/api/v1/broker/acl/${b.id}`,
      payload: { permission: 'deny' },
    });
    expect(changed.json()).toMatchObject({ id: b.id, permission: 'deny', topic: 'lab/%c/#' });
    expect((await audit(`broker-acl-rule:${a.id}`)).map((e) => e.action)).toContain('broker-acl-rule.move');

    const invalid = await req({
      method: 'POST',
      url: '/api/v1/broker/acl',
      payload: { permission: 'deny', action: 'all', topic: 'a/#/b' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('WS_ERR_MQTT_ADMIN_ACL_RULE_INVALID');
    for (const payload of [
      { permission: 'maybe', action: 'all', topic: 'a' },
      { permission: 'deny', action: 'all', topic: '' },
      { permission: 'deny', action: 'all', topic: 'a', who: { nobody: 'x' } },
      { permission: 'deny', action: 'all', topic: 'a', position: -1 },
    ])
      expect(
        (await req({ method: 'POST', url: '/api/v1/broker/acl', payload })).statusCode,
        JSON.stringify(payload),
      ).toBe(400);
    const file = await req({
      method: 'PUT',
      url: '/api/v1/broker/acl/file-0',
      payload: { permission: 'deny' },
    });
    expect(file.statusCode).toBe(409);

    expect((await req({ method: 'DELETE', url: `/api/v1/broker/acl/${a.id}` })).statusCode).toBe(204);
    expect((await req({ method: 'DELETE', url: `/api/v1/broker/acl/${a.id}` })).statusCode).toBe(404);
    expect(await ids()).toEqual([b.id, 'file-0']);
  });
});
