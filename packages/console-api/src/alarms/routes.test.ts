import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearerFor } from '../auth/testing.js';
import { alarmsFixture, raise, turbidityRule, TURBIDITY, type AlarmsFixture } from './testing.js';

type Page = { entries: { kind: string }[] };

describe('alarms routes', () => {
  let f: AlarmsFixture;
  let operator: string;
  let engineer: string;

  beforeAll(async () => {
    f = await alarmsFixture('ws-alarms-api-');
    operator = await bearerFor(f.store, 'operator');
    engineer = await bearerFor(f.store, 'engineer');
  });
  afterAll(async () => f.close());
  beforeEach(async () => {
    for (const r of await f.alarms.listRules()) await f.alarms.deleteRule(r.rule.id);
  });

  const call = (auth: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    f.api.inject({ method, url, headers: { authorization: auth }, ...(payload && { payload }) });

  it('creates a rule, lists the raised alarm with filters, acknowledges it with a comment, and audits it', async () => {
    const created = await call(engineer, 'POST', '/api/v1/alarm-rules', {
      ...turbidityRule(),
      project: undefined,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ revision: 1, rule: { id: 'turb', project: 'acme/north' } });
    raise(f);
    const list = await call(operator, 'GET', '/api/v1/alarms?severity=critical&site=north');
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: 'turb', status: 'unack-active', active: true, value: 1.8 }),
    ]);
    expect((await call(operator, 'GET', '/api/v1/alarms?severity=minor')).json().items).toEqual([]);
    expect(
      (await call(operator, 'GET', `/api/v1/alarms?point=${TURBIDITY}&state=unack-active`)).json().items,
    ).toHaveLength(1);

    const ack = await call(operator, 'POST', '/api/v1/alarms/turb/ack', { comment: 'backwashing filter 2' });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({
      status: 'ack-active',
      acknowledgedBy: expect.stringMatching(/^apikey:/),
    });
    const again = await call(operator, 'POST', '/api/v1/alarms/turb/ack', {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'WS_ERR_ALARM_NOTHING_TO_ACK' });

    const audit = await f.store.metadata.audit.query({ resource: 'alarm:turb' });
    expect(audit.entries[0]).toMatchObject({
      action: 'alarm.ack',
      before: { status: 'unack-active' },
      after: { status: 'ack-active', lastComment: 'backwashing filter 2' },
    });
  });

  it('shelves for a duration (expiring on the clock), unshelves, comments, and shows the history', async () => {
    await f.alarms.putRule(turbidityRule());
    raise(f);
    const shelved = await call(operator, 'POST', '/api/v1/alarms/turb/shelve', {
      durationMs: 60_000,
      reason: 'analyser service',
    });
    expect(shelved.json()).toMatchObject({ status: 'shelved', shelved: { until: f.clock.now() + 60_000 } });
    const bad = await call(operator, 'POST', '/api/v1/alarms/turb/shelve', { reason: 'no expiry' });
    expect(bad.json()).toMatchObject({ code: 'WS_ERR_ALARM_SHELVE_UNTIL' });
    const tooLong = await call(operator, 'POST', '/api/v1/alarms/turb/shelve', {
      durationMs: 90_000_000,
      reason: 'x',
    });
    expect(tooLong.json()).toMatchObject({ code: 'WS_ERR_ALARM_SHELVE_EXPIRY' });
    await f.clock.advance(60_000);
    expect((await call(operator, 'GET', '/api/v1/alarms/turb')).json()).toMatchObject({
      status: 'unack-active',
    });
    await call(operator, 'POST', '/api/v1/alarms/turb/shelve', {
      until: f.clock.now() + 1000,
      reason: 'again',
    });
    expect((await call(operator, 'POST', '/api/v1/alarms/turb/unshelve')).json()).toMatchObject({
      status: 'unack-active',
    });
    const commented = await call(operator, 'POST', '/api/v1/alarms/turb/comments', {
      text: 'grab sample taken',
    });
    expect(commented.json<{ comments: { text: string }[] }>().comments.at(-1)).toMatchObject({
      text: 'grab sample taken',
    });
    await f.alarms.flush();
    const history = await call(operator, 'GET', '/api/v1/alarms/history?alarm=turb&limit=3');
    expect(history.json<Page>().entries.map((e) => e.kind)).toEqual(['commented', 'unshelved', 'shelved']);
    const next = await call(
      operator,
      'GET',
      `/api/v1/alarms/history?alarm=turb&limit=3&cursor=${history.json().next}`,
    );
    expect(next.json<Page>().entries.map((e) => e.kind)).toEqual(['unshelved', 'shelved', 'raised']);
  });

  it('updates and deletes rules under their revision, and takes an alarm out of service', async () => {
    await call(engineer, 'POST', '/api/v1/alarm-rules', turbidityRule());
    const stale = await call(engineer, 'PUT', '/api/v1/alarm-rules/turb', {
      ...turbidityRule(),
      revision: 7,
    });
    expect(stale.statusCode).toBe(409);
    const v2 = await call(engineer, 'PUT', '/api/v1/alarm-rules/turb', {
      ...turbidityRule({ severity: 'major' }),
      revision: 1,
    });
    expect(v2.json()).toMatchObject({ revision: 2, rule: { severity: 'major' } });
    const invalid = await call(engineer, 'POST', '/api/v1/alarm-rules', {
      ...turbidityRule({ id: 's' }),
      condition: { kind: 'stuck' },
    });
    expect(invalid.json()).toMatchObject({ code: 'WS_ERR_ALARM_RULE_INVALID' });
    raise(f);
    const oos = await call(engineer, 'POST', '/api/v1/alarms/turb/service', {
      outOfService: true,
      reason: 'analyser swapped',
    });
    expect(oos.json()).toMatchObject({ status: 'out-of-service', active: false });
    expect((await call(engineer, 'GET', '/api/v1/alarm-rules')).json().items).toHaveLength(1);
    expect((await call(engineer, 'DELETE', '/api/v1/alarm-rules/turb?revision=2')).statusCode).toBe(204);
    expect((await call(engineer, 'GET', '/api/v1/alarms/turb')).statusCode).toBe(404);
  });

  it('serves the GB 5749-2022 set and loads it onto points by role, twice without duplicates', async () => {
    const set = await call(operator, 'GET', '/api/v1/alarm-rule-sets/gb5749-2022');
    expect(set.json()).toMatchObject({ standard: { code: 'GB 5749-2022' } });
    expect((await call(operator, 'GET', '/api/v1/alarm-rule-sets/nope')).statusCode).toBe(404);
    const mapping = [
      { point: TURBIDITY, role: 'plant-outlet', quantity: 'turbidity' },
      { point: 'north.rtu9.dma.cl', role: 'network-end', quantity: 'chlorine' },
    ];
    const load = await call(engineer, 'POST', '/api/v1/alarm-rule-sets/gb5749-2022/load', { mapping });
    expect(load.json().created).toHaveLength(2);
    expect(
      (await call(engineer, 'POST', '/api/v1/alarm-rule-sets/gb5749-2022/load', { mapping })).json(),
    ).toMatchObject({
      created: [],
      updated: expect.any(Array),
    });
    const keep = await call(engineer, 'POST', '/api/v1/alarm-rule-sets/gb5749-2022/load', {
      mapping,
      keepExisting: true,
    });
    expect(keep.json()).toMatchObject({ created: [], updated: [], kept: expect.any(Array) });
    const rules = (await call(operator, 'GET', '/api/v1/alarm-rules')).json<{
      items: { rule: { source: string } }[];
    }>().items;
    expect(rules.map((r) => r.rule.source)).toEqual([
      expect.stringMatching(/表2/),
      expect.stringMatching(/表1/),
    ]);
  });

  it('streams alarm changes as server-sent events', async () => {
    await f.alarms.putRule(turbidityRule());
    const address = await f.api.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/v1/alarms/live`, {
      headers: { authorization: operator },
      signal: ctrl.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    raise(f);
    while (!text.includes('event: alarm'))
      text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
    const data = text.slice(text.indexOf('event: alarm')).split('\n')[1]!.slice('data: '.length);
    expect(JSON.parse(data)).toMatchObject({
      event: { kind: 'raised' },
      alarm: { id: 'turb', status: 'unack-active' },
    });
    ctrl.abort();
  });
});
