import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileRule } from './index.js';
import { EvalFault, failureOf } from './errors.js';
import { fault, message, value } from './test-helpers.js';

describe('operators', () => {
  it('arithmetic, div and mod, string concatenation with +', () => {
    expect(value('1 + 2 * 3 - 4 / 2')).toBe(5);
    expect(value('7 div 2')).toBe(3);
    expect(value('-7 div 2')).toBe(-3);
    expect(value('7 mod 3')).toBe(1);
    expect(value(`'a' + 'b'`)).toBe('ab');
    expect(value('-(payload.x)', '{"x": 4}')).toBe(-4);
  });

  it('comparisons, numeric strings compare as numbers, =~ matches topics', () => {
    expect(value('2 > 1 AND 1 <= 1 AND 1 >= 1 AND 1 < 2 AND 1 != 2 AND 1 <> 2 AND 1 = 1')).toBe(true);
    expect(value(`'10' > 9`)).toBe(true);
    expect(value(`'10' = 10`)).toBe(true);
    expect(value(`'abc' < 'abd'`)).toBe(true);
    expect(value(`topic =~ 't/+'`)).toBe(true);
    expect(value(`topic =~ 'x/#'`)).toBe(false);
    expect(value('payload.o = payload.p', '{"o": {"a": [1]}, "p": {"a": [1]}}')).toBe(true);
  });

  it('IN and NOT IN', () => {
    expect(value('qos IN (0, 1)')).toBe(true);
    expect(value('qos NOT IN (0, 1)')).toBe(false);
    expect(value(`clientid in ('x')`)).toBe(false);
  });

  it('AND/OR/NOT short-circuit and treat null as false', () => {
    expect(value('payload.missing AND 1 / 0 > 1')).toBe(false);
    expect(value('true OR 1 / 0 > 1')).toBe(true);
    expect(value('NOT payload.flag', '{"flag": false}')).toBe(true);
    expect(value('NOT payload.missing')).toBe(null);
  });

  it('CASE: searched and simple forms, ELSE defaulting to null', () => {
    expect(value(`CASE qos WHEN 0 THEN 'zero' WHEN 1 THEN 'one' END`)).toBe('one');
    expect(value(`CASE WHEN qos > 5 THEN 'big' END`)).toBe(null);
    expect(value(`CASE WHEN payload.v > 10 THEN 'high' ELSE 'ok' END`, '{"v": 12}')).toBe('high');
  });
});

describe('null semantics (EMQX undefined)', () => {
  it('missing fields are null and propagate through arithmetic', () => {
    expect(value('payload.nope')).toBe(null);
    expect(value('payload.a.b.c')).toBe(null);
    expect(value('payload.nope + 1')).toBe(null);
    expect(value('payload.x.y', '{"x": 3}')).toBe(null);
  });

  it('null is false in ordering comparisons and equal only to null', () => {
    expect(value('payload.nope > 1')).toBe(false);
    expect(value('payload.nope < 1')).toBe(false);
    expect(value('payload.nope = null')).toBe(true);
    expect(value('payload.nope = 0')).toBe(false);
  });

  it('a non-JSON payload reads as null under paths and as text whole', () => {
    expect(value('payload.x', 'not json')).toBe(null);
    expect(value('payload', 'not json')).toBe('not json');
  });
});

describe('paths', () => {
  const payload = JSON.stringify({
    values: { flow: 12.5 },
    arr: [10, 20, 30],
    'a b': 1,
    'x-y': 2,
    m: { k: 'v' },
  });
  it('nested, 1-based and negative indexes, quoted keys, string index', () => {
    expect(value('payload.values.flow', payload)).toBe(12.5);
    expect(value('payload.arr[1]', payload)).toBe(10);
    expect(value('payload.arr[3]', payload)).toBe(30);
    expect(value('payload.arr[-1]', payload)).toBe(30);
    expect(value('payload.arr[0]', payload)).toBe(null);
    expect(value('payload.arr[4]', payload)).toBe(null);
    expect(value(`payload.'a b'`, payload)).toBe(1);
    expect(value(`payload."x-y"`, payload)).toBe(2);
    expect(value(`payload['m'].k`, payload)).toBe('v');
    expect(value(`json_decode('{"q": [1, 2]}').q[2]`)).toBe(2);
  });

  it('accepts payloads as bytes and as already-decoded values', () => {
    expect(value('payload.x', new TextEncoder().encode('{"x": 5}'))).toBe(5);
    expect(value('payload.x', { x: 6 })).toBe(6);
  });

  it('nests unaliased paths and dotted aliases in the output', () => {
    const r = compileRule(`SELECT payload.a.b, payload.c AS out.c, abs(-1) FROM "t/#"`).evaluate({
      ...message,
      payload: '{"a": {"b": 1, "z": 0}, "c": 2}',
    });
    expect(r).toEqual({ ok: true, rows: [{ payload: { a: { b: 1 } }, out: { c: 2 }, 'abs(-1)': 1 }] });
  });

  it('later fields read earlier aliases', () => {
    const r = compileRule(`SELECT payload.v * 2 AS d, d + 1 AS e FROM "t/#"`).evaluate({
      ...message,
      payload: '{"v": 2}',
    });
    expect(r).toEqual({ ok: true, rows: [{ d: 4, e: 5 }] });
  });
});

describe('per-message failures', () => {
  it('wrong types fail the message with a reason instead of throwing', () => {
    expect(fault('payload.s * 2', '{"s": "abc"}')).toBe('cannot apply "*" to string "abc" and number 2');
    expect(fault('1 / payload.z', '{"z": 0}')).toBe('division by zero');
    expect(fault('abs(payload.s)', '{"s": "x"}')).toMatch(/abs expects a number, got string "x"/);
    expect(fault('payload.a AND true', '{"a": 3}')).toMatch(/AND needs booleans/);
    expect(fault('payload.arr[1.5]', '{"arr": [1]}')).toMatch(/array index expects an integer/);
  });

  it('FOREACH over a non-array fails; over a missing field yields nothing', () => {
    const rule = compileRule(`FOREACH payload.list FROM "t/#"`);
    expect(rule.evaluate({ ...message, payload: '{"list": 3}' })).toEqual({
      ok: false,
      reason: 'FOREACH expects an array, got 3',
      kind: 'evaluation',
    });
    expect(rule.evaluate({ ...message, payload: '{}' })).toEqual({ ok: true, rows: [] });
  });

  it('tells a fault in the data (evaluation) from anything else thrown (exception)', () => {
    expect(failureOf(new EvalFault('division by zero'))).toEqual({
      ok: false,
      reason: 'division by zero',
      kind: 'evaluation',
    });
    expect(failureOf(new TypeError('x is not a function'))).toMatchObject({ kind: 'exception' });
    expect(failureOf('thrown text')).toEqual({ ok: false, reason: 'thrown text', kind: 'exception' });
  });

  it('a failed message does not break the next one', () => {
    const rule = compileRule(`SELECT payload.v + 1 AS v FROM "t/#"`);
    expect(rule.evaluate({ ...message, payload: '{"v": "x"}' }).ok).toBe(false);
    expect(rule.evaluate({ ...message, payload: '{"v": 1}' })).toEqual({ ok: true, rows: [{ v: 2 }] });
  });

  it('WHERE without aliases runs first, so a filtered message cannot fail in SELECT', () => {
    const rule = compileRule(`SELECT payload.v * 2 AS d FROM "t/#" WHERE is_num(payload.v)`);
    expect(rule.evaluate({ ...message, payload: '{"v": "x"}' })).toEqual({ ok: true, rows: [] });
  });
});

describe('FOREACH', () => {
  const payload = JSON.stringify({ list: [1, 2, 3, 4], objs: [{ v: 1 }, { v: 5 }] });
  it('scalar elements become {item}, DO may compute, INCASE filters, WHERE gates the message', () => {
    const run = (sql: string) => compileRule(sql).evaluate({ ...message, payload });
    expect(run(`FOREACH payload.list INCASE item > 2 FROM "t/#"`)).toEqual({
      ok: true,
      rows: [{ item: 3 }, { item: 4 }],
    });
    expect(run(`FOREACH payload.list AS n DO n * 10 AS t, topic INCASE n mod 2 = 0 FROM "t/#"`)).toEqual({
      ok: true,
      rows: [
        { t: 20, topic: 't/a' },
        { t: 40, topic: 't/a' },
      ],
    });
    expect(run(`FOREACH payload.objs DO item.v AS v FROM "t/#" WHERE qos = 2`)).toEqual({
      ok: true,
      rows: [],
    });
    expect(run(`FOREACH payload.objs DO item.v AS v FROM "t/#" WHERE qos = 1`)).toEqual({
      ok: true,
      rows: [{ v: 1 }, { v: 5 }],
    });
  });
});

describe('lazy payload decoding', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a rule that never reads payload never parses it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const rule = compileRule(`SELECT clientid, topic FROM "t/#" WHERE qos = 1`);
    expect(rule.usesPayload).toBe(false);
    for (let i = 0; i < 10; i++) rule.evaluate({ ...message, payload: '{"x": 1}' });
    expect(parse).not.toHaveBeenCalled();
  });

  it('a rule that reads several paths parses each message once', () => {
    const rule = compileRule(`SELECT payload.a AS a, payload.b AS b FROM "t/#" WHERE payload.a > 0`);
    const parse = vi.spyOn(JSON, 'parse');
    rule.evaluate({ ...message, payload: '{"a": 1, "b": 2}' });
    rule.evaluate({ ...message, payload: '{"a": 3, "b": 4}' });
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('selecting the whole payload returns its text without parsing', () => {
    const rule = compileRule(`SELECT payload FROM "t/#"`);
    const parse = vi.spyOn(JSON, 'parse');
    expect(rule.evaluate({ ...message, payload: '{"a": 1}' })).toEqual({
      ok: true,
      rows: [{ payload: '{"a": 1}' }],
    });
    expect(parse).not.toHaveBeenCalled();
  });
});

describe('compiled rule surface', () => {
  it('reports sources and matches topics against them', () => {
    const rule = compileRule(`SELECT * FROM "ws/v1/+/+/+/data", "$events/client_connected"`);
    expect(rule.sources).toEqual(['ws/v1/+/+/+/data', '$events/client_connected']);
    expect(rule.window).toBeUndefined();
    expect(rule.aggregates).toEqual([]);
    expect(rule.matches('ws/v1/s1/n1/g1/data')).toBe(true);
    expect(rule.matches('$events/client_connected')).toBe(true);
    expect(rule.matches('ws/v1/s1/n1/g1/status')).toBe(false);
  });

  it('custom functions extend the table and are checked like builtins', () => {
    const functions = {
      double: {
        kind: 'scalar',
        minArgs: 1,
        maxArgs: 1,
        args: ['number'],
        returns: 'number',
        impl: ([x]: unknown[]) => (x as number) * 2,
      },
    } as const;
    expect(value('double(payload.x)', '{"x": 21}', { functions })).toBe(42);
    expect(() => compileRule(`SELECT double('a') FROM "t"`, { functions })).toThrow(/must be number/);
  });

  it('the clock is injected for time functions', () => {
    expect(value('now_timestamp()', '{}', { clock: { now: () => 1_700_000_000_123 } })).toBe(1_700_000_000);
  });
});
