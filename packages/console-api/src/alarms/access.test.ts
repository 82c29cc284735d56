import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../auth/access.js';
import { bearerFor } from '../auth/testing.js';
import { alarmsFixture, raise, turbidityRule, TURBIDITY, type AlarmsFixture } from './testing.js';

interface Mutation {
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: object;
  ok: number;
  least: Role;
  prepare?: (f: AlarmsFixture) => Promise<unknown>;
}

/** Every mutating endpoint, each against a fresh rule `turb` (revision 1) whose alarm is active. */
const MUTATIONS: Mutation[] = [
  {
    name: 'ack',
    method: 'POST',
    url: '/api/v1/alarms/turb/ack',
    body: { comment: 'seen' },
    ok: 200,
    least: 'operator',
  },
  {
    name: 'shelve',
    method: 'POST',
    url: '/api/v1/alarms/turb/shelve',
    body: { durationMs: 60_000, reason: 'calibration' },
    ok: 200,
    least: 'operator',
  },
  {
    name: 'unshelve',
    method: 'POST',
    url: '/api/v1/alarms/turb/unshelve',
    ok: 200,
    least: 'operator',
    prepare: (f) => f.alarms.shelve('turb', 'setup', f.clock.now() + 60_000),
  },
  {
    name: 'comment',
    method: 'POST',
    url: '/api/v1/alarms/turb/comments',
    body: { text: 'note' },
    ok: 200,
    least: 'operator',
  },
  {
    name: 'out of service',
    method: 'POST',
    url: '/api/v1/alarms/turb/service',
    body: { outOfService: true },
    ok: 200,
    least: 'engineer',
  },
  {
    name: 'create rule',
    method: 'POST',
    url: '/api/v1/alarm-rules',
    body: { ...turbidityRule({ id: 'new' }), project: undefined },
    ok: 201,
    least: 'engineer',
  },
  {
    name: 'replace rule',
    method: 'PUT',
    url: '/api/v1/alarm-rules/turb',
    body: { ...turbidityRule({ severity: 'major' }), revision: 1 },
    ok: 200,
    least: 'engineer',
  },
  { name: 'delete rule', method: 'DELETE', url: '/api/v1/alarm-rules/turb', ok: 204, least: 'engineer' },
  {
    name: 'load rule set',
    method: 'POST',
    url: '/api/v1/alarm-rule-sets/gb5749-2022/load',
    body: { mapping: [{ point: TURBIDITY, role: 'plant-outlet', quantity: 'turbidity' }] },
    ok: 200,
    least: 'engineer',
  },
];

const READS = [
  '/api/v1/alarms',
  '/api/v1/alarms/turb',
  '/api/v1/alarms/history',
  '/api/v1/alarm-rules',
  '/api/v1/alarm-rules/turb',
];

describe('alarms routes: authorisation and project isolation', () => {
  let f: AlarmsFixture;
  const keys = {} as Record<Role, string>;
  let south: string;
  let global: string;

  beforeAll(async () => {
    f = await alarmsFixture('ws-alarms-acl-');
    for (const role of ROLES) keys[role] = await bearerFor(f.store, role, 'acme/north');
    south = await bearerFor(f.store, 'admin', 'acme/south');
    global = await bearerFor(f.store, 'admin', '*');
  });
  afterAll(async () => f.close());

  beforeEach(async () => {
    for (const r of await f.alarms.listRules()) await f.alarms.deleteRule(r.rule.id);
    await f.alarms.putRule(turbidityRule());
    raise(f);
  });

  const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, engineer: 2, admin: 3 };

  for (const m of MUTATIONS) {
    for (const role of ROLES) {
      const allowed = ROLE_RANK[role] >= ROLE_RANK[m.least];
      it(`${m.name} is ${allowed ? 'allowed' : 'refused'} for ${role}`, async () => {
        await m.prepare?.(f);
        const before = f.alarms.get('turb');
        const audited = (await f.store.metadata.audit.query({ limit: 1 })).entries[0]?.seq ?? 0;
        const res = await f.api.inject({
          method: m.method,
          url: m.url,
          headers: { authorization: keys[role] },
          ...(m.body && { payload: m.body }),
        });
        expect(res.statusCode, res.body).toBe(allowed ? m.ok : 403);
        const last = (await f.store.metadata.audit.query({ limit: 1 })).entries[0];
        if (allowed) {
          expect(last?.seq).toBeGreaterThan(audited);
          expect(last?.project).toBe('acme/north');
        } else {
          expect(res.json()).toMatchObject({ code: 'WS_ERR_FORBIDDEN' });
          expect(f.alarms.get('turb')).toEqual(before);
          expect((await f.alarms.getRule('turb'))?.revision).toBe(1);
          expect(last?.seq ?? 0).toBe(audited);
        }
      });
    }
  }

  it('reads are open to every role of the project, and refused without credentials', async () => {
    for (const role of ROLES) {
      for (const url of READS) {
        const res = await f.api.inject({ method: 'GET', url, headers: { authorization: keys[role] } });
        expect(res.statusCode, `${role} GET ${url}`).toBe(200);
      }
    }
    for (const url of READS) expect((await f.api.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it("another project's admin sees nothing of the alarm or its rule and cannot touch them (404, never 403)", async () => {
    await f.alarms.flush();
    const get = (url: string) => f.api.inject({ method: 'GET', url, headers: { authorization: south } });
    expect((await get('/api/v1/alarms')).json()).toEqual({ items: [] });
    expect((await get('/api/v1/alarms?includeNormal=true')).json()).toEqual({ items: [] });
    expect((await get('/api/v1/alarms/history?alarm=turb')).json()).toEqual({ entries: [] });
    expect((await get('/api/v1/alarm-rules')).json()).toEqual({ items: [] });
    for (const url of ['/api/v1/alarms/turb', '/api/v1/alarm-rules/turb'])
      expect((await get(url)).statusCode, url).toBe(404);
    for (const m of MUTATIONS.filter((x) => x.url.includes('/turb'))) {
      await m.prepare?.(f);
      const res = await f.api.inject({
        method: m.method,
        url: m.url,
        headers: { authorization: south },
        ...(m.body && { payload: m.body }),
      });
      expect(res.statusCode, m.name).toBe(404);
    }
    expect(f.alarms.get('turb')).toMatchObject({ active: true, acknowledged: false, comments: [] });
    expect((await f.alarms.getRule('turb'))?.revision).toBe(1);
  });

  it("a project's engineer creates rules only in its own project; an installation-wide admin names the project", async () => {
    const own = await f.api.inject({
      method: 'POST',
      url: '/api/v1/alarm-rules',
      headers: { authorization: keys.engineer },
      payload: { ...turbidityRule({ id: 'mine' }), project: 'acme/south' },
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().rule.project).toBe('acme/north');
    const unnamed = await f.api.inject({
      method: 'POST',
      url: '/api/v1/alarm-rules',
      headers: { authorization: global },
      payload: { ...turbidityRule({ id: 'g1' }), project: undefined },
    });
    expect(unnamed.json()).toMatchObject({ code: 'WS_ERR_ALARM_PROJECT_REQUIRED' });
    const named = await f.api.inject({
      method: 'POST',
      url: '/api/v1/alarm-rules',
      headers: { authorization: global },
      payload: { ...turbidityRule({ id: 'g2' }), project: 'acme/south' },
    });
    expect(named.json().rule.project).toBe('acme/south');
    const all = await f.api.inject({
      method: 'GET',
      url: '/api/v1/alarms',
      headers: { authorization: global },
    });
    expect(all.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual(['turb']);
  });
});
