import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { rulesRoutes } from './routes.js';
import { FakeRuleRuntime } from './testing.js';

const SQL = 'SELECT payload.values.flow AS flow FROM "ws/v1/+/+/+/data" WHERE payload.values.flow > 10';

describe('rules routes', () => {
  let dir: string;
  let store: Store;
  let api: FastifyInstance;
  let runtime: FakeRuleRuntime;
  let engineer: string;
  let viewer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-rules-api-'));
    store = await openEmbeddedStore({ dir });
    runtime = new FakeRuleRuntime();
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(rulesRoutes, { access, auditor, store, runtime });
    });
    engineer = await bearerFor(store, 'engineer');
    viewer = await bearerFor(store, 'viewer');
  });

  afterAll(async () => {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    for (const r of await store.metadata.rules.list()) await store.metadata.rules.delete(r.id);
    runtime.installed.clear();
    runtime.calls.length = 0;
  });

  const create = (body: Record<string, unknown>, auth = engineer) =>
    api.inject({ method: 'POST', url: '/api/v1/rules', headers: { authorization: auth }, payload: body });

  it('creates a rule: stored with its definition, running at once, audited, ETag = revision', async () => {
    const res = await create({
      id: 'high-flow',
      name: 'High flow',
      sql: SQL,
      actions: [{ type: 'republish', topic: 'alerts/${flow}' }],
      description: 'flows above 10',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      id: 'high-flow',
      project: 'acme/north',
      name: 'High flow',
      enabled: true,
      revision: 1,
      origin: 'api',
      sql: SQL,
      actions: [{ type: 'republish', topic: 'alerts/${flow}' }],
      state: 'running',
      metrics: { matched: 0, failed: 0 },
    });
    const stored = await store.metadata.rules.get('high-flow');
    expect(stored?.definition).toEqual({
      sql: SQL,
      actions: [{ type: 'republish', topic: 'alerts/${flow}' }],
      description: 'flows above 10',
      origin: 'api',
    });
    expect(runtime.calls).toEqual(['apply high-flow enabled']);
    const audit = await store.metadata.audit.query({ project: 'acme/north' });
    expect(audit.entries.find((e) => e.resource === 'rule:high-flow')).toMatchObject({
      action: 'rule.create',
      after: { name: 'High flow', enabled: true, revision: 1 },
    });
  });

  it('refuses invalid SQL with 400 and the position of the error, storing and running nothing', async () => {
    const res = await create({
      id: 'bad',
      name: 'Bad',
      sql: 'SELECT flow\nFROM ',
      actions: [{ type: 'nope' }],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; problems: Record<string, unknown>[] }>();
    expect(body.code).toBe('WS_ERR_RULE_INVALID');
    expect(body.problems).toEqual([
      expect.objectContaining({
        code: 'WS_ERR_RULE_SQL_PARSE',
        line: 2,
        column: 5,
        expected: 'a quoted topic filter',
      }),
      expect.objectContaining({ code: 'WS_ERR_RULE_ACTION_UNKNOWN', path: 'actions.0' }),
    ]);
    expect(await store.metadata.rules.get('bad')).toBeUndefined();
    expect(runtime.calls).toEqual([]);
  });

  it('generates an id when none is given; a second rule with the same name in the project is 409', async () => {
    const a = await create({ name: 'Same', sql: SQL });
    expect(a.statusCode).toBe(201);
    expect(a.json<{ id: string }>().id).toMatch(/^[0-9a-f-]{36}$/);
    const b = await create({ name: 'Same', sql: SQL });
    expect(b.statusCode).toBe(409);
    expect(b.json()).toMatchObject({ code: 'WS_ERR_STORE_DUPLICATE' });
  });

  it('replaces a rule under optimistic concurrency: If-Match or revision, 409 when stale, 428 when absent', async () => {
    await create({ id: 'r1', name: 'R1', sql: SQL });
    const put = (headers: Record<string, string>, body: Record<string, unknown>) =>
      api.inject({
        method: 'PUT',
        url: '/api/v1/rules/r1',
        headers: { authorization: engineer, ...headers },
        payload: { name: 'R1', sql: SQL.replace('> 10', '> 20'), ...body },
      });

    expect((await put({}, {})).statusCode).toBe(428);
    const ok = await put({ 'if-match': '"1"' }, { actions: [{ type: 'console' }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({
      revision: 2,
      sql: SQL.replace('> 10', '> 20'),
      actions: [{ type: 'console' }],
    });
    expect(runtime.installed.get('r1')?.sql).toContain('> 20');

    const stale = await put({}, { revision: 1, sql: 'SELECT 1 AS x FROM "t"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'WS_ERR_STORE_REVISION_CONFLICT' });
    expect(runtime.installed.get('r1')?.sql).toContain('> 20');
    expect((await store.metadata.rules.get('r1'))?.revision).toBe(2);

    const mismatch = await put({ 'if-match': '"2"' }, { revision: 3 });
    expect(mismatch.json()).toMatchObject({ code: 'WS_ERR_RULE_REVISION_MISMATCH' });
    const invalid = await put({ 'if-match': '2' }, { sql: 'SELECT x FROM' });
    expect(invalid.statusCode).toBe(400);
    expect((await store.metadata.rules.get('r1'))?.revision).toBe(2);

    const audit = await store.metadata.audit.query({ project: 'acme/north' });
    expect(audit.entries.find((e) => e.action === 'rule.update')).toMatchObject({
      before: { revision: 1, definition: { sql: SQL } },
      after: { revision: 2 },
    });
  });

  it('of two concurrent changes based on the same revision, one wins and the engine runs the winner', async () => {
    await create({ id: 'race', name: 'Race', sql: SQL });
    const put = (limit: number) =>
      api.inject({
        method: 'PUT',
        url: '/api/v1/rules/race',
        headers: { authorization: engineer, 'if-match': '"1"' },
        payload: { name: 'Race', sql: SQL.replace('> 10', `> ${limit}`) },
      });
    const results = await Promise.all([put(20), put(30)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json<{ sql: string }>();
    expect((await store.metadata.rules.get('race'))?.definition).toMatchObject({ sql: winner.sql });
    expect(runtime.installed.get('race')?.sql).toBe(winner.sql);
  });

  it('undoes the store write when the engine refuses a validated change', async () => {
    await create({ id: 'r2', name: 'R2', sql: SQL });
    runtime.failNextApply = new Error('sink type gone');
    const res = await api.inject({
      method: 'PUT',
      url: '/api/v1/rules/r2',
      headers: { authorization: engineer, 'if-match': '"1"' },
      payload: { name: 'R2 renamed', sql: SQL },
    });
    expect(res.statusCode).toBe(500);
    const stored = await store.metadata.rules.get('r2');
    expect(stored).toMatchObject({ name: 'R2', revision: 3 });
  });

  it('disables and enables a rule: the engine follows, the revision grows, each audited', async () => {
    await create({ id: 'r3', name: 'R3', sql: SQL });
    const off = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/r3/disable',
      headers: { authorization: engineer, 'if-match': '"1"' },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, revision: 2, state: 'stopped' });
    const stale = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/r3/enable',
      headers: { authorization: engineer, 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(409);
    const on = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/r3/enable',
      headers: { authorization: engineer },
    });
    expect(on.json()).toMatchObject({ enabled: true, revision: 3, state: 'running' });
    expect(runtime.calls).toEqual(['apply r3 enabled', 'apply r3 disabled', 'apply r3 enabled']);
    const audit = await store.metadata.audit.query({ project: 'acme/north' });
    const actions = audit.entries.filter((e) => e.resource === 'rule:r3').map((e) => e.action);
    expect(actions.sort()).toEqual(['rule.create', 'rule.disable', 'rule.enable']);
  });

  it('deletes a rule: gone from the store and the engine; a stale If-Match is 409', async () => {
    await create({ id: 'r4', name: 'R4', sql: SQL });
    const stale = await api.inject({
      method: 'DELETE',
      url: '/api/v1/rules/r4',
      headers: { authorization: engineer, 'if-match': '"7"' },
    });
    expect(stale.statusCode).toBe(409);
    const res = await api.inject({
      method: 'DELETE',
      url: '/api/v1/rules/r4',
      headers: { authorization: engineer },
    });
    expect(res.statusCode).toBe(204);
    expect(await store.metadata.rules.get('r4')).toBeUndefined();
    expect(runtime.installed.has('r4')).toBe(false);
    const again = await api.inject({
      method: 'DELETE',
      url: '/api/v1/rules/r4',
      headers: { authorization: engineer },
    });
    expect(again.statusCode).toBe(404);
  });

  it('lists rules with their metrics summary and serves the full metrics of one', async () => {
    await create({ id: 'r5', name: 'R5', sql: SQL, actions: [{ type: 'sink', sink: 'store' }] });
    await create({ id: 'r6', name: 'R6', sql: SQL, enabled: false });
    runtime.counters.set('r5', {
      matched: 10,
      passed: 6,
      noResult: 3,
      failed: 1,
      failedByReason: { evaluation: 1 },
      rowsOut: 6,
      windowsEmitted: 0,
      ratePerSecond: 0.5,
      latencyMs: { count: 6, mean: 1.5, p50: 1, p99: 3, max: 3 },
      lastError: { reason: 'payload.values.flow: not a number', at: 5 },
      actions: [{ index: 0, type: 'sink', success: 4, failed: 2 }],
    });
    const list = await api.inject({
      method: 'GET',
      url: '/api/v1/rules',
      headers: { authorization: viewer },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      items: [
        expect.objectContaining({
          id: 'r5',
          metrics: { matched: 10, passed: 6, noResult: 3, failed: 1, actionsFailed: 2, ratePerSecond: 0.5 },
        }),
        expect.objectContaining({ id: 'r6', enabled: false, state: 'stopped' }),
      ],
    });
    const enabledOnly = await api.inject({
      method: 'GET',
      url: '/api/v1/rules?enabled=true',
      headers: { authorization: viewer },
    });
    expect(enabledOnly.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual(['r5']);
    const m = await api.inject({
      method: 'GET',
      url: '/api/v1/rules/r5/metrics',
      headers: { authorization: viewer },
    });
    expect(m.json()).toMatchObject({
      failedByReason: { evaluation: 1 },
      latencyMs: { p99: 3 },
      actions: [{ failed: 2 }],
    });
    const zero = await api.inject({
      method: 'GET',
      url: '/api/v1/rules/r6/metrics',
      headers: { authorization: viewer },
    });
    expect(zero.json()).toMatchObject({ matched: 0, actions: [] });
  });

  it('runs a test without storing or applying anything', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/test',
      headers: { authorization: engineer },
      payload: {
        sql: SQL,
        actions: [{ type: 'console' }],
        context: { topic: 'ws/v1/works/gw/g/data', payload: { values: { flow: 12 } } },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, actions: [{ index: 0, type: 'console' }] });
    const bad = await api.inject({
      method: 'POST',
      url: '/api/v1/rules/test',
      headers: { authorization: engineer },
      payload: { sql: 'SELECT x FROM', context: {} },
    });
    expect(bad.json()).toMatchObject({ ok: false, errors: [{ line: 1, column: 14 }] });
    expect(await store.metadata.rules.list()).toEqual([]);
    expect(runtime.calls).toEqual([]);
  });
});
