import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { RuleSqlError } from '@watershed/rule-sql';
import { describe, expect, it } from 'vitest';
import { createRuleEngine, type RuleEngineOptions } from './index.js';
import { FakeMessageSource } from './testing.js';

const DATA = 'ws/v1/+/+/+/data';

function setup(extra: Partial<RuleEngineOptions> = {}) {
  const clock = new FakeClock();
  const source = new FakeMessageSource(() => clock.now());
  const engine = createRuleEngine({ source, clock, ...extra });
  return { clock, source, engine };
}

const uplink = (flow: unknown, node = 'n1') => ({
  topic: `ws/v1/s1/${node}/g1/data`,
  payload: { v: 1, node, group: 'g1', ts: 1, seq: 1, values: { flow } },
});

describe('rule engine core', () => {
  it('runs a stateless rule and republishes its rows', async () => {
    const { source, engine } = setup();
    engine.addRule({
      id: 'high-flow',
      sql: `SELECT payload.values.flow AS flow, topic FROM "${DATA}" WHERE payload.values.flow > 100`,
      actions: [{ type: 'republish', topic: 'alerts/flow' }],
    });
    source.inject(uplink(360));
    source.inject(uplink(50));
    expect(source.published.map((m) => JSON.parse(m.payload) as unknown)).toEqual([
      { flow: 360, topic: 'ws/v1/s1/n1/g1/data' },
    ]);
    expect(engine.metrics('high-flow')).toMatchObject({
      matched: 2,
      passed: 1,
      noResult: 1,
      failed: 0,
      rowsOut: 1,
      actions: [{ type: 'republish', success: 1, failed: 0 }],
    });
    await engine.close();
  });

  it('subscribes once per distinct filter and unsubscribes when the last rule leaves', async () => {
    const { source, engine } = setup();
    engine.addRule({ id: 'a', sql: `SELECT 1 AS x FROM "${DATA}"` });
    engine.addRule({ id: 'b', sql: `SELECT 2 AS x FROM "${DATA}"` });
    engine.addRule({ id: 'c', sql: `SELECT 3 AS x FROM "other/#", "${DATA}"` });
    expect(source.filters.sort()).toEqual(['other/#', DATA]);
    expect(engine.subscriptions()).toHaveLength(2);
    engine.removeRule('a');
    engine.removeRule('c');
    expect(source.filters).toEqual([DATA]);
    engine.disable('b');
    expect(source.filters).toEqual([]);
    engine.enable('b');
    expect(source.filters).toEqual([DATA]);
    await engine.close();
    expect(source.filters).toEqual([]);
  });

  it('takes a message once even when several of a rule’s sources match it', async () => {
    const { source, engine } = setup();
    engine.addRule({ id: 'r', sql: `SELECT topic FROM "ws/#", "${DATA}"` });
    source.inject(uplink(1));
    expect(engine.metrics('r').matched).toBe(1);
    await engine.close();
  });

  it('counts a failing message with its reason and goes on', async () => {
    const { source, engine, clock } = setup();
    engine.addRule({ id: 'r', sql: `SELECT payload.values.flow * 2 AS y FROM "${DATA}"` });
    source.inject(uplink('abc'));
    source.inject(uplink(3));
    const m = engine.metrics('r');
    expect(m).toMatchObject({ matched: 2, failed: 1, passed: 1 });
    expect(m.failedBy).toEqual({ evaluation: 1, exception: 0, late: 0, event_time: 0 });
    expect(m.lastError?.at).toBe(clock.now());
    expect(m.lastError?.reason).toMatch(/abc|number|type/i);
    await engine.close();
  });

  it('runs every action even when one fails, with per-action metrics', async () => {
    const written: unknown[] = [];
    const { source, engine } = setup({
      sinks: {
        get: (id) =>
          id === 'tsdb'
            ? {
                write: async (rows) => {
                  await Promise.resolve();
                  written.push(...rows);
                },
              }
            : undefined,
      },
    });
    engine.addRule({
      id: 'r',
      sql: `SELECT payload.values.flow AS flow FROM "${DATA}"`,
      actions: [
        { type: 'republish', topic: 'bad/+/topic' },
        { type: 'sink', sink: 'missing' },
        { type: 'sink', sink: 'tsdb' },
        { type: 'republish', topic: 'out/${flow}' },
      ],
    });
    source.inject(uplink(7));
    await engine.close(); // waits for the asynchronous sink writes
    expect(written).toEqual([{ flow: 7 }]);
    expect(source.published.map((m) => m.topic)).toEqual(['out/7']);
    const actions = engine.metrics('r').actions;
    expect(actions.map((a) => [a.type, a.success, a.failed])).toEqual([
      ['republish', 0, 1],
      ['sink', 0, 1],
      ['sink', 1, 0],
      ['republish', 1, 0],
    ]);
    expect(actions[1]!.lastError?.reason).toContain('missing');
  });

  it('rejects bad SQL, duplicates, unknown actions and bad action configs', async () => {
    const { engine } = setup();
    expect(() => engine.addRule({ id: 'x', sql: 'SELEC 1 FROM "t"' })).toThrow(RuleSqlError);
    engine.addRule({ id: 'x', sql: 'SELECT 1 AS one FROM "t"' });
    expect(() => engine.addRule({ id: 'x', sql: 'SELECT 1 AS one FROM "t"' })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_RULE_DUPLICATE' }),
    );
    expect(() => engine.addRule({ id: 'y', sql: 'SELECT 1 FROM "t"', actions: [{ type: 'nope' }] })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_RULE_ACTION_UNKNOWN' }),
    );
    expect(() =>
      engine.addRule({ id: 'y', sql: 'SELECT 1 FROM "t"', actions: [{ type: 'republish', qos: 3 }] }),
    ).toThrow(expect.objectContaining({ code: 'WS_ERR_RULE_ACTION_CONFIG' }));
    expect(engine.listRules().map((r) => r.id)).toEqual(['x']);
    expect(() => engine.metrics('nope')).toThrow(expect.objectContaining({ code: 'WS_ERR_RULE_NOT_FOUND' }));
    await engine.close();
    expect(() => engine.addRule({ id: 'z', sql: 'SELECT 1 FROM "t"' })).toThrow(
      expect.objectContaining({ code: 'WS_ERR_RULE_ENGINE_CLOSED' }),
    );
  });

  it('updates a rule atomically: a bad patch leaves it running, a good one re-subscribes', async () => {
    const { source, engine } = setup();
    engine.addRule({
      id: 'r',
      sql: `SELECT 1 AS x FROM "a/#"`,
      actions: [{ type: 'republish', topic: 'o' }],
    });
    expect(() => engine.updateRule('r', { sql: 'SELECT FROM' })).toThrow(RuleSqlError);
    expect(source.filters).toEqual(['a/#']);
    source.inject({ topic: 'a/1', payload: {} });
    const info = engine.updateRule('r', { sql: `SELECT 2 AS x FROM "b/#"` });
    expect(info.sources).toEqual(['b/#']);
    expect(source.filters).toEqual(['b/#']);
    source.inject({ topic: 'a/1', payload: {} });
    source.inject({ topic: 'b/1', payload: {} });
    expect(source.published.map((m) => m.payload)).toEqual(['{"x":1}', '{"x":2}']);
    expect(engine.metrics('r')).toMatchObject({ matched: 2, actions: [{ success: 2 }] });
    await engine.close();
  });

  it('fires $events rules from source events', async () => {
    const { source, engine } = setup();
    engine.addRule({
      id: 'ev',
      sql: `SELECT clientid, event FROM "$events/client_disconnected" WHERE reason = 'keepalive'`,
      actions: [{ type: 'republish', topic: 'alerts/offline/${clientid}' }],
    });
    source.emitEvent('client_disconnected', { clientid: 'gw-1', reason: 'keepalive' });
    source.emitEvent('client_disconnected', { clientid: 'gw-2', reason: 'client' });
    source.emitEvent('client_connected', { clientid: 'gw-3' });
    expect(source.published).toHaveLength(1);
    expect(source.published[0]).toMatchObject({ topic: 'alerts/offline/gw-1' });
    expect(JSON.parse(source.published[0]!.payload)).toEqual({
      clientid: 'gw-1',
      event: 'client.disconnected',
    });
    await engine.close();
  });

  it('stops a republish loop instead of recursing forever', async () => {
    const { source, engine } = setup();
    engine.addRule({
      id: 'loop',
      sql: `SELECT 1 AS x FROM "loop/#"`,
      actions: [{ type: 'republish', topic: 'loop/again' }],
    });
    source.inject({ topic: 'loop/start', payload: {} });
    expect(engine.metrics('loop').matched).toBe(8);
    await engine.close();
  });

  it('exports prometheus counters when given a registry', async () => {
    const registry = createMetricsRegistry();
    const { source, engine } = setup({ metrics: registry });
    engine.addRule({
      id: 'r',
      sql: `SELECT 1 AS x FROM "a/#" WHERE payload.ok`,
      actions: [{ type: 'console' }],
    });
    source.inject({ topic: 'a/1', payload: { ok: true } });
    source.inject({ topic: 'a/1', payload: { ok: false } });
    engine.addRule({ id: 'bad', sql: `SELECT payload.n * 2 AS y FROM "b/#"` });
    source.inject({ topic: 'b/2', payload: { n: 'two' } });
    const text = await registry.metrics();
    expect(text).toContain('watershed_rule_failures_total{rule="bad",reason="evaluation"} 1');
    expect(text).toContain('watershed_rule_messages_total{rule="r",outcome="passed"} 1');
    expect(text).toContain('watershed_rule_messages_total{rule="r",outcome="no_result"} 1');
    expect(text).toContain(
      'watershed_rule_action_rows_total{rule="r",action="0:console",outcome="success"} 1',
    );
    await engine.close();
  });

  it('drops the exported series of replaced actions and of a removed rule', async () => {
    const registry = createMetricsRegistry();
    const { source, engine } = setup({ metrics: registry });
    const series = async () =>
      (await registry.metrics())
        .split('\n')
        .filter((l) => l.startsWith('watershed_rule_') && l.includes('rule="r"'));
    engine.addRule({ id: 'r', sql: `SELECT 1 AS x FROM "a/#"`, actions: [{ type: 'console' }] });
    source.inject({ topic: 'a/1', payload: {} });
    engine.updateRule('r', { actions: [{ type: 'republish', topic: 'b' }] });
    source.inject({ topic: 'a/1', payload: {} });
    const actions = (await series()).filter((l) => l.startsWith('watershed_rule_action_rows_total'));
    expect(actions).toEqual([
      'watershed_rule_action_rows_total{rule="r",action="0:republish",outcome="success"} 1',
    ]);
    expect(await series()).toContain('watershed_rule_messages_total{rule="r",outcome="passed"} 2');
    engine.removeRule('r');
    expect(await series()).toEqual([]);
    await engine.close();
  });

  it('shows rules EMQX message fields: clientid, qos, retain, user properties, timestamp', async () => {
    const { source, engine, clock } = setup();
    engine.addRule({
      id: 'r',
      sql: `SELECT clientid, username, qos, retain, user_properties.site AS site, timestamp FROM "a/#"`,
      actions: [{ type: 'republish', topic: 'o' }],
    });
    source.inject({
      topic: 'a/1',
      payload: 'x',
      clientId: 'edge-1',
      username: 'u',
      qos: 1,
      retain: true,
      userProperties: { site: 's1' },
    });
    expect(JSON.parse(source.published[0]!.payload)).toEqual({
      clientid: 'edge-1',
      username: 'u',
      qos: 1,
      retain: true,
      site: 's1',
      timestamp: clock.now(),
    });
    await engine.close();
  });
});
