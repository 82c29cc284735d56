import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Json, type Store } from '@watershed/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { fleetRoutes } from './routes.js';
import { FakeFleet } from './testing.js';

const plant = (...tags: { [k: string]: Json }[]) => ({
  devices: [
    { name: 'plc', driver: 'modbus-tcp', config: {}, groups: [{ name: 'g', intervalMs: 1000, tags }] },
  ],
});
const level = { name: 'level', address: '1!300001', dataType: 'float' };
const sp = { name: 'sp', address: '1!400001', dataType: 'float', writable: true, max: 50 };

describe('fleet routes', () => {
  let dir: string;
  let store: Store;
  let fleet: FakeFleet;
  let api: FastifyInstance;
  let engineer: string;
  let operator: string;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, who = engineer) =>
    api.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: who },
      ...(payload && { payload }),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-fleet-routes-'));
    store = await openEmbeddedStore({ dir });
    fleet = new FakeFleet(store);
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(fleetRoutes, { access, auditor, store, fleet });
    });
    engineer = await bearerFor(store, 'engineer', 'acme/north');
    operator = await bearerFor(store, 'operator', 'acme/north');
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a gateway: the MQTT password is shown once, never again nor in the audit log', async () => {
    const res = await call('POST', '/gateways', { site: 'north', node: 'plc-gw', name: 'PLC gateway' });
    expect(res.statusCode, res.body).toBe(201);
    const { gateway, mqtt } = res.json<{
      gateway: { id: string };
      mqtt: { username: string; password: string };
    }>();
    expect(mqtt.username).toBe('plc-gw');
    expect(await store.metadata.gateways.verify('plc-gw', mqtt.password)).toMatchObject({ id: gateway.id });
    const detail = await call('GET', `/gateways/${gateway.id}`);
    expect(detail.json()).toMatchObject({ node: 'plc-gw', project: 'acme/north', status: { online: false } });
    expect(detail.body).not.toContain(mqtt.password);
    const { entries } = await store.metadata.audit.query({ resource: `gateway:${gateway.id}` });
    expect(entries.map((e) => e.action)).toEqual(['gateway.create']);
    expect(JSON.stringify(entries)).not.toContain(mqtt.password);
    const again = await call('POST', '/gateways', { site: 'other', node: 'plc-gw', name: 'Twin' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'WS_ERR_STORE_DUPLICATE' });
    const bad = await call('POST', '/gateways', { site: 'north', node: 'a/b', name: 'x' });
    expect(bad.statusCode).toBe(400);
  });

  it('rotates and revokes credentials', async () => {
    const { gateway, secret } = await store.metadata.gateways.create({
      project: 'acme/north',
      site: 'north',
      node: 'rot',
      name: 'R',
    });
    const rotated = await call('POST', `/gateways/${gateway.id}/credentials`);
    const password = rotated.json<{ mqtt: { password: string } }>().mqtt.password;
    expect(password).not.toBe(secret);
    expect(await store.metadata.gateways.verify('rot', secret)).toBeUndefined();
    expect(await store.metadata.gateways.verify('rot', password)).toBeDefined();
    const revoked = await call('DELETE', `/gateways/${gateway.id}/credentials`);
    expect(revoked.json()).toMatchObject({ credentialsRevokedAt: expect.any(Number) });
    expect(await store.metadata.gateways.verify('rot', password)).toBeUndefined();
  });

  it('pushes to many gateways with each ack, lists, shows and diffs versions, and rolls back', async () => {
    const a = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'n', node: 'pa', name: 'A' })
    ).gateway;
    const b = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'n', node: 'pb', name: 'B' })
    ).gateway;
    const pushed = await call('POST', '/configs/push', { gateways: [a.id, b.id], config: plant(level) });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json()).toMatchObject({
      results: [
        {
          gatewayId: a.id,
          node: 'pa',
          version: 1,
          outcome: 'applied',
          ack: { result: 'applied', running: 1 },
        },
        { gatewayId: b.id, node: 'pb', version: 1, outcome: 'applied' },
      ],
    });
    fleet.nextOutcome = 'rejected';
    const refused = await call('POST', '/configs/push', { gateways: [a.id], config: plant(level, sp) });
    expect(refused.json()).toMatchObject({
      results: [{ version: 2, outcome: 'rejected', ack: { running: 1 } }],
    });
    fleet.nextOutcome = 'applied';
    await call('POST', '/configs/push', { gateways: [a.id], config: plant(level, { ...sp, max: 40 }) });

    const list = await call('GET', `/gateways/${a.id}/configs`);
    expect(list.json()).toMatchObject({
      items: [
        { version: 3, ack: { ok: true } },
        { version: 2, ack: { ok: false, detail: 'rejected' } },
        { version: 1, ack: { ok: true }, author: expect.stringMatching(/^apikey:/) },
      ],
    });
    expect(list.json().items[0].config).toBeUndefined();
    expect((await call('GET', `/gateways/${a.id}/configs/1`)).json()).toMatchObject({
      version: 1,
      config: plant(level),
    });
    expect((await call('GET', `/gateways/${a.id}/configs/9`)).statusCode).toBe(404);

    const diff = await call('GET', `/gateways/${a.id}/configs/diff?from=1&to=3`);
    expect(diff.json()).toEqual({
      from: 1,
      to: 3,
      added: [{ path: 'devices[plc].groups[g].tags[sp]', value: { ...sp, max: 40 } }],
      removed: [],
      changed: [],
    });
    const diff23 = await call('GET', `/gateways/${a.id}/configs/diff?from=2&to=3`);
    expect(diff23.json().changed).toEqual([
      { path: 'devices[plc].groups[g].tags[sp].max', from: 50, to: 40 },
    ]);

    const rolled = await call('POST', `/gateways/${a.id}/rollback`, { version: 1 });
    expect(rolled.json()).toMatchObject({ version: 4, outcome: 'applied' });
    expect((await store.metadata.edgeConfigs.get('pa', 4))?.config).toEqual(plant(level));
    expect((await call('POST', `/gateways/${a.id}/rollback`, { version: 99 })).statusCode).toBe(404);
    const audit = await store.metadata.audit.query({ action: 'edge-config.rollback' });
    expect(audit.entries[0]).toMatchObject({ resource: 'edge-config:pa@4', after: { outcome: 'applied' } });
    // The status shows the version it runs.
    const items = (await call('GET', '/gateways')).json<{ items: { id: string }[] }>().items;
    expect(items.find((g) => g.id === a.id)).toMatchObject({ status: { configVersion: 4 } });
  });

  it('asks to confirm a write, then writes and answers with the read-back; audited', async () => {
    const g = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'n', node: 'wr', name: 'W' })
    ).gateway;
    const unconfirmed = await call('POST', `/gateways/${g.id}/tags/g.sp/write`, { value: 12 }, operator);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json()).toMatchObject({ code: 'WS_ERR_FLEET_CONFIRM_REQUIRED' });
    expect(unconfirmed.json().message).toMatch(/confirm/);
    expect(fleet.writes).toEqual([]);
    const res = await call(
      'POST',
      `/gateways/${g.id}/tags/g.sp/write`,
      { value: 12, confirm: true },
      operator,
    );
    expect(res.json()).toMatchObject({ ok: true, readBack: 12, point: 'n.wr.g.sp' });
    expect(fleet.writes).toEqual([{ node: 'wr', tag: 'g.sp', value: 12 }]);
    fleet.writeResult = { ok: false, code: 'WS_ERR_EDGE_WRITE_READBACK', readBack: 11 };
    const mismatch = await call(
      'POST',
      `/gateways/${g.id}/tags/g.sp/write`,
      { value: 13, confirm: true },
      operator,
    );
    expect(mismatch.json()).toMatchObject({ ok: false, readBack: 11 });
    fleet.writeResult = undefined;
    const audit = await store.metadata.audit.query({ action: 'tag.write' });
    expect(audit.entries.map((e) => e.after)).toEqual([
      { value: 13, ok: false, readBack: 11, code: 'WS_ERR_EDGE_WRITE_READBACK' },
      { value: 12, ok: true, readBack: 12 },
    ]);
  });

  it('passes a written value on as sent: a boolean, text or null is not coerced to a number', async () => {
    const g = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'n', node: 'wt', name: 'T' })
    ).gateway;
    for (const value of [true, false, '80', 'auto', 0, null]) {
      const res = await call('POST', `/gateways/${g.id}/tags/g.x/write`, { value, confirm: true }, operator);
      expect(res.statusCode).toBe(200);
    }
    expect(fleet.writes.filter((w) => w.node === 'wt').map((w) => w.value)).toEqual([
      true,
      false,
      '80',
      'auto',
      0,
      null,
    ]);
    const object = await call(
      'POST',
      `/gateways/${g.id}/tags/g.x/write`,
      { value: { on: true }, confirm: true },
      operator,
    );
    expect(object.statusCode).toBe(400);
  });

  it('serves the log tail, and exports and imports tags as CSV (an import is a new version)', async () => {
    const g = (
      await store.metadata.gateways.create({ project: 'acme/north', site: 'n', node: 'csv', name: 'C' })
    ).gateway;
    expect((await call('GET', `/gateways/${g.id}/logs`)).json()).toMatchObject({ node: 'csv', lines: [] });
    fleet.logTails.set('csv', {
      v: 1,
      node: 'csv',
      ts: 5,
      lines: [{ ts: 4, level: 'warn', msg: 'link down' }],
      dropped: 0,
    });
    expect((await call('GET', `/gateways/${g.id}/logs`)).json().lines).toEqual([
      { ts: 4, level: 'warn', msg: 'link down' },
    ]);

    const noBase = await api.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${g.id}/tags`,
      headers: { authorization: engineer, 'content-type': 'text/csv' },
      payload: 'device,group,name,address,dataType\n',
    });
    expect(noBase.statusCode).toBe(409);
    await fleet.push([g], plant(level), 'setup');
    const exported = await call('GET', `/gateways/${g.id}/tags`);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.body.split('\r\n')[1]).toBe('plc,g,level,1!300001,float,,,,,,,,,,,');
    const imported = await api.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${g.id}/tags`,
      headers: { authorization: engineer, 'content-type': 'text/csv' },
      payload: `${exported.body}plc,g,sp,1!400001,float,,,,,,,,true,,50,\r\n`,
    });
    expect(imported.json()).toMatchObject({ version: 2, outcome: 'applied' });
    expect((await store.metadata.edgeConfigs.get('csv', 2))?.config).toEqual(plant(level, sp));
    const broken = await api.inject({
      method: 'PUT',
      url: `/api/v1/gateways/${g.id}/tags`,
      headers: { authorization: engineer, 'content-type': 'text/csv' },
      payload: 'device,group,name,address,dataType\nplc,nope,x,1,float\n',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'WS_ERR_FLEET_CSV_INVALID' });
  });

  it('deletes a gateway: its credentials end, the channel forgets it, its config history stays', async () => {
    const { gateway, secret } = await store.metadata.gateways.create({
      project: 'acme/north',
      site: 'n',
      node: 'del',
      name: 'D',
    });
    await fleet.push([gateway], plant(level), 'setup');
    expect((await call('DELETE', `/gateways/${gateway.id}`)).statusCode).toBe(204);
    expect(await store.metadata.gateways.verify('del', secret)).toBeUndefined();
    expect(fleet.forgotten).toContain('del');
    expect(await store.metadata.edgeConfigs.get('del', 1)).toBeDefined();
    expect((await call('GET', `/gateways/${gateway.id}`)).statusCode).toBe(404);
  });
});
