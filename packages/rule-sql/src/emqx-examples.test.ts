import { describe, expect, it } from 'vitest';
import { compileRule, type MessageContext } from './index.js';

/**
 * Rules from EMQX's documentation, run unchanged, with the outputs the docs show. Sources:
 * [SYN] https://docs.emqx.com/en/emqx/latest/data-integration/rule-sql-syntax.html
 * [EX]  https://www.emqx.io/docs/en/v5/data-integration/rule-sql-grammar-and-examples.html
 * [V4]  https://docs.emqx.com/zh/emqx/v4.0/rule/rule-engine.html
 */
const publish: MessageContext = {
  event: 'message.publish',
  id: '5F8E4A5C1C6D4F3E',
  clientid: 'c_emqx',
  username: 'u_emqx',
  topic: 't/a',
  qos: 1,
  retain: false,
  peerhost: '127.0.0.1',
  timestamp: 1_618_034_800_000,
  node: 'emqx@127.0.0.1',
  payload: JSON.stringify({
    x: 1,
    clientid: 'c_payload',
    msg: 'hello',
    date: '2020-04-24',
    sensors: [
      { name: 'a', idx: 0 },
      { name: 'b', idx: 1 },
      { name: 'c', idx: 2 },
    ],
  }),
};

const connected: MessageContext = {
  event: 'client.connected',
  clientid: 'c1',
  username: 'emqx',
  peername: '127.0.0.1:52918',
  connected_at: 1_618_034_800_123,
  timestamp: 1_618_034_800_124,
  node: 'emqx@127.0.0.1',
};

interface Case {
  readonly source: string;
  readonly sql: string;
  readonly ctx: MessageContext;
  readonly topic?: string;
  readonly rows: Record<string, unknown>[];
}

const cases: Case[] = [
  {
    source: '[V4] select one payload field',
    sql: `SELECT payload.x as x FROM "t/a"`,
    ctx: publish,
    rows: [{ x: 1 }],
  },
  {
    source: '[SYN] select by topics, rename a payload field',
    sql: `SELECT clientid, payload.clientid as myclientid FROM "t/#", "my/other/topic"`,
    ctx: publish,
    rows: [{ clientid: 'c_emqx', myclientid: 'c_payload' }],
  },
  {
    source: '[SYN] select by event',
    sql: `SELECT peername as ip_port FROM "$events/client_connected" WHERE clientid = 'c1'`,
    ctx: connected,
    topic: '$events/client_connected',
    rows: [{ ip_port: '127.0.0.1:52918' }],
  },
  {
    source: '[V4] connection event filtered by username',
    sql: `SELECT clientid, connected_at FROM "$events/client_connected" WHERE username = 'emqx'`,
    ctx: connected,
    topic: '$events/client_connected',
    rows: [{ clientid: 'c1', connected_at: 1_618_034_800_123 }],
  },
  {
    source: '[EX] WHERE on a SELECT alias',
    sql: `SELECT clientid as cid FROM "#" WHERE cid = 'c_emqx'`,
    ctx: publish,
    rows: [{ cid: 'c_emqx' }],
  },
  {
    source: '[EX] WHERE on a field not selected',
    sql: `SELECT clientid as cid FROM "#" WHERE username = 'u_emqx'`,
    ctx: publish,
    rows: [{ cid: 'c_emqx' }],
  },
  { source: '[EX] filtered out', sql: `SELECT * FROM "#" WHERE username = 'abc'`, ctx: publish, rows: [] },
  {
    source: '[EX] FOREACH with DO and INCASE',
    sql: `FOREACH payload.sensors as e DO clientid, e.name as name, e.idx as idx INCASE e.idx >= 1 FROM "t/#"`,
    ctx: publish,
    rows: [
      { clientid: 'c_emqx', name: 'b', idx: 1 },
      { clientid: 'c_emqx', name: 'c', idx: 2 },
    ],
  },
  {
    source: '[EX] FOREACH alone: each element is a message',
    sql: `FOREACH payload.sensors FROM "t/#"`,
    ctx: publish,
    rows: [
      { name: 'a', idx: 0 },
      { name: 'b', idx: 1 },
      { name: 'c', idx: 2 },
    ],
  },
  {
    source: '[EX] FOREACH with INCASE on item',
    sql: `FOREACH payload.sensors INCASE item.idx = 1 FROM "t/#"`,
    ctx: publish,
    rows: [{ name: 'b', idx: 1 }],
  },
  {
    source: '[EX] CASE WHEN clamps a value',
    sql: `SELECT CASE WHEN payload.x < 0 THEN 0 WHEN payload.x > 7 THEN 7 ELSE payload.x END as x FROM "t/#"`,
    ctx: { ...publish, payload: '{"x": 9}' },
    rows: [{ x: 7 }],
  },
  {
    source: '[EX] array index is 1-based',
    sql: `SELECT payload.sensors[1].name as first, payload.sensors[-1].name as last FROM "t/#"`,
    ctx: publish,
    rows: [{ first: 'a', last: 'c' }],
  },
  {
    source: '[EX] unaliased nested field keeps its path',
    sql: `SELECT payload.msg FROM "t/#"`,
    ctx: publish,
    rows: [{ payload: { msg: 'hello' } }],
  },
  {
    source: '[SYN] topic match operator',
    sql: `SELECT topic FROM "#" WHERE topic =~ 't/+'`,
    ctx: publish,
    rows: [{ topic: 't/a' }],
  },
  {
    source: '[SYN] IN operator',
    sql: `SELECT clientid FROM "#" WHERE clientid in ('c_emqx', 'c2')`,
    ctx: publish,
    rows: [{ clientid: 'c_emqx' }],
  },
];

describe('EMQX documentation examples', () => {
  it.each(cases)('$source: $sql', ({ sql, ctx, topic, rows }) => {
    const rule = compileRule(sql);
    expect(rule.matches(topic ?? (ctx.topic as string))).toBe(true);
    expect(rule.evaluate(ctx)).toEqual({ ok: true, rows });
  });

  it('[V4] SELECT * outputs every field, payload as the original text', () => {
    const r = compileRule(`SELECT * FROM "t/#"`).evaluate(publish);
    expect(r).toEqual({ ok: true, rows: [{ ...publish }] });
  });
});
