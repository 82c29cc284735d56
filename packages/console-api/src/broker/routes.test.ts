import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authInject, bearerFor, buildTestApi } from '../auth/testing.js';
import { brokerRoutes } from './routes.js';
import { FakeBrokerOperations } from './testing.js';

describe('broker routes', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  let broker: FakeBrokerOperations;
  let req: ReturnType<typeof authInject>;
  const clock = new FakeClock(1_800_000_000_000);

  beforeAll(async () => {
    broker = new FakeBrokerOperations();
    dir = mkdtempSync(join(tmpdir(), 'ws-broker-api-'));
    store = await openEmbeddedStore({ dir });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(brokerRoutes, { access, auditor, clock, broker });
    });
    req = authInject(api, await bearerFor(store, 'engineer', '*'));
  });
  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    broker.clear();
  });

  const audited = async (resource: string) =>
    (await store.metadata.audit.query({})).entries.find((e) => e.resource === resource);

  it('lists clients with the query passed through, and shows one client or 404', async () => {
    broker.addClient('pump-1', { username: 'alice', keepalive: 30 });
    broker.addClient('meter-2');
    const list = await req('/api/v1/broker/clients?q=pump&offset=0&limit=10');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ clientId: 'pump-1', username: 'alice' }] });
    expect(broker.calls).toContain('clients {"q":"pump","offset":0,"limit":10}');
    const sorted = await req('/api/v1/broker/clients?sort=bytesIn&order=desc');
    expect(sorted.statusCode, sorted.body).toBe(200);
    expect(sorted.json().items[0]).toMatchObject({ bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 });
    expect(broker.calls).toContain('clients {"sort":"bytesIn","order":"desc"}');
    expect((await req('/api/v1/broker/clients?sort=password')).statusCode).toBe(400);
    expect((await req('/api/v1/broker/clients/pump-1')).json()).toMatchObject({
      keepalive: 30,
      subscriptionList: [],
    });
    const missing = await req('/api/v1/broker/clients/ghost');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'WS_ERR_BROKER_CLIENT_NOT_FOUND']);
    expect((await req('/api/v1/broker/clients?limit=5000')).statusCode).toBe(400);
  });

  it('kicks a client, optionally discarding its session, and audits it with what the client was', async () => {
    broker.addClient('gw/7');
    const res = await req({
      method: 'DELETE',
      url: '/api/v1/broker/clients/gw%2F7?discardSession=true&reason=maintenance',
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(broker.calls).toContain('kick gw/7 discard=true reason=maintenance');
    expect(await audited('broker-client:gw/7')).toMatchObject({
      action: 'broker-client.kick-discard-session',
      project: '*',
      before: { clientId: 'gw/7' },
    });
    const again = await req({ method: 'DELETE', url: '/api/v1/broker/clients/gw%2F7' });
    expect(again.statusCode).toBe(404);
  });

  it('lists and deletes retained messages; a bad filter is 400', async () => {
    broker.addRetained('water/a/level', '1.5');
    expect((await req('/api/v1/broker/retained?topic=water/%23')).json()).toMatchObject({
      total: 1,
      items: [{ topic: 'water/a/level', preview: '1.5' }],
    });
    const bad = await req('/api/v1/broker/retained?topic=water/%23/x');
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'WS_ERR_BROKER_FILTER_INVALID']);
    const del = await req({ method: 'DELETE', url: '/api/v1/broker/retained?topic=water/a/level' });
    expect(del.statusCode).toBe(204);
    expect(await audited('broker-retained:water/a/level')).toMatchObject({ before: { preview: '1.5' } });
    expect(
      (await req({ method: 'DELETE', url: '/api/v1/broker/retained?topic=water/a/level' })).statusCode,
    ).toBe(404);
    expect((await req({ method: 'DELETE', url: '/api/v1/broker/retained' })).statusCode).toBe(400);
  });

  it('creates a ban with its author and end, lists it, lifts it; all audited', async () => {
    broker.addClient('rogue');
    const res = await req({
      method: 'POST',
      url: '/api/v1/broker/bans',
      payload: { clientId: 'rogue', reason: 'tampering', durationS: 3600 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { ban, kicked } = res.json();
    expect(kicked).toEqual(['rogue']);
    expect(ban).toMatchObject({ clientId: 'rogue', reason: 'tampering', until: clock.now() + 3_600_000 });
    expect(ban.createdBy).toMatch(/^apikey:/);
    expect(await audited(`broker-ban:${ban.id}`)).toMatchObject({
      actor: ban.createdBy,
      action: 'broker-ban.create',
      after: { kicked: ['rogue'] },
    });
    expect((await req('/api/v1/broker/bans')).json().items).toHaveLength(1);

    const both = await req({
      method: 'POST',
      url: '/api/v1/broker/bans',
      payload: { clientId: 'x', until: 1, durationS: 1 },
    });
    expect([both.statusCode, both.json().code]).toEqual([400, 'WS_ERR_BROKER_BAN_INVALID']);
    const none = await req({ method: 'POST', url: '/api/v1/broker/bans', payload: { reason: 'who?' } });
    expect([none.statusCode, none.json().code]).toEqual([400, 'WS_ERR_BROKER_BAN_INVALID']);
    const extra = await req({
      method: 'POST',
      url: '/api/v1/broker/bans',
      payload: { clientId: 'x', ip: '1.2.3.4' },
    });
    expect(extra.statusCode).toBe(400);

    expect((await req({ method: 'DELETE', url: `/api/v1/broker/bans/${ban.id}` })).statusCode).toBe(204);
    expect((await audited(`broker-ban:${ban.id}`))?.action).toBe('broker-ban.delete');
    expect((await req({ method: 'DELETE', url: `/api/v1/broker/bans/${ban.id}` })).statusCode).toBe(404);
  });

  it('lists the built-in users and ACL rules with their source', async () => {
    expect((await req('/api/v1/broker/users')).json()).toEqual({
      items: [{ username: 'file-user', source: 'file', passwordScheme: 'scrypt', scram: false, roles: [] }],
      editable: true,
      persistent: true,
    });
    expect((await req('/api/v1/broker/acl')).json()).toMatchObject({
      rules: [{ index: 0, id: 'file-0', source: 'file', topic: 'ws/v1/+/%u/#' }],
      listeners: [{ listener: 'mqtt', sources: ['password'] }],
      editable: true,
    });
  });

  it('serves listeners, subscriptions and stats with history for charts', async () => {
    broker.addClient('a');
    expect((await req('/api/v1/broker/listeners')).json()).toEqual({
      items: [{ name: 'mqtt', type: 'tcp', host: '127.0.0.1', port: 1883, connections: 1 }],
    });
    expect((await req('/api/v1/broker/subscriptions?filter=water')).statusCode).toBe(200);
    const stats = await req('/api/v1/broker/stats?since=1000');
    expect(stats.json()).toMatchObject({
      current: { clients: 1, rate: { ts: 2000 } },
      history: [{ ts: 2000 }],
    });
  });
});
