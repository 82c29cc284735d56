import { describe, expect, it } from 'vitest';
import { fault, value } from '../test-helpers.js';

/** Every builtin row function, through the whole pipeline (parse → check → compile → evaluate). */
describe('math', () => {
  it.each([
    ['abs(-2.5)', 2.5],
    ['ceil(1.2)', 2],
    ['floor(-1.2)', -2],
    ['round(2.5)', 3],
    ['round(3.14159, 2)', 3.14],
    ['sqrt(16)', 4],
    ['power(2, 10)', 1024],
    ['exp(0)', 1],
    ['log(1)', 0],
    ['log10(1000)', 3],
    ['log2(8)', 3],
    ['sin(0)', 0],
    ['cos(0)', 1],
    ['tan(0)', 0],
    ['asin(1)', Math.PI / 2],
    ['acos(1)', 0],
    ['atan(0)', 0],
    ['sinh(0)', 0],
    ['cosh(0)', 1],
    ['tanh(0)', 0],
    ['mod(7, 3)', 1],
    ['fmod(7.5, 2)', 1.5],
    ['sign(-3)', -1],
    ['clamp(12, 0, 10)', 10],
    ['greatest(1, 5, 3)', 5],
    ['least(4, 2, 8)', 2],
  ])('%s = %s', (expr, expected) => {
    expect(value(expr)).toBeCloseTo(expected, 12);
  });

  it('domain errors fail the message', () => {
    expect(fault('sqrt(-1)')).toBe('sqrt(-1) is undefined');
    expect(fault('log(0)')).toBe('log(0) is undefined');
    expect(fault('mod(1, 0)')).toBe('division by zero');
  });
});

describe('strings', () => {
  it.each([
    [`lower('AbC')`, 'abc'],
    [`upper('abc')`, 'ABC'],
    [`trim('  a  ')`, 'a'],
    [`ltrim('  a ')`, 'a '],
    [`rtrim(' a  ')`, ' a'],
    [`reverse('abc')`, 'cba'],
    [`concat('a', 1, true, 'b')`, 'a1trueb'],
    [`strlen('水务')`, 2],
    [`substr('abcdef', 2)`, 'cdef'], // EMQX: 0-based start
    [`substr('abcdef', 2, 3)`, 'cde'],
    [`split('a/b/ c', '/')`, ['a', 'b', ' c']],
    [`split('/a/b/', '/')`, ['a', 'b']],
    [`split('/a/b/', '/', 'notrim')`, ['', 'a', 'b', '']],
    [`split('a/b/c', '/', 'leading')`, ['a', 'b/c']],
    [`split('a/b/c', '/', 'trailing')`, ['a/b', 'c']],
    [`replace('a-b-c', '-', '+')`, 'a+b+c'],
    [`replace('a-b-c', '-', '+', 'leading')`, 'a+b-c'],
    [`replace('a-b-c', '-', '+', 'trailing')`, 'a-b+c'],
    [`regex_match('ws/v1/site', '^ws/v\\d')`, true],
    [`regex_match('abc', '^\\d+$')`, false],
    [`regex_replace('a1b22c', '\\d+', '#')`, 'a#b#c'],
    [`regex_extract('flow=12.5', 'flow=([0-9.]+)')`, ['12.5']],
    [`sprintf('hello, ~s! ~p ~~', 'steve', 'x')`, 'hello, steve! "x" ~'],
    [`pad('abc', 5)`, 'abc  '],
    [`pad('abc', 5, 'leading', '0')`, '00abc'],
    [`pad('ab', 6, 'both', '*')`, '**ab**'],
    [`find('abcabc', 'b')`, 'bcabc'],
    [`find('abcabc', 'b', 'trailing')`, 'bc'],
    [`find('abc', 'x')`, ''],
    [`join_to_string('-', split('a,b', ','))`, 'a-b'],
    [`starts_with(topic, 't/')`, true],
    [`ends_with(topic, '/b')`, false],
  ])('%s', (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it('fails on non-strings and bad runtime patterns', () => {
    expect(fault('lower(payload.n)', '{"n": 1}')).toMatch(/lower expects a string, got number 1/);
    expect(fault(`regex_match('a', payload.re)`, '{"re": "("}')).toMatch(/invalid regular expression/);
    expect(fault(`sprintf('~s ~s', 'a')`)).toMatch(/needs more arguments/);
  });
});

describe('type tests and conversions', () => {
  it.each([
    ['is_null(payload.nope)', true],
    ['is_not_null(qos)', true],
    ['is_num(1.5)', true],
    ['is_int(2)', true],
    ['is_float(2.5)', true],
    [`is_str('a')`, true],
    ['is_bool(false)', true],
    ['is_map(payload)', false], // the whole payload is text until a path reads it
    [`is_map(json_decode('{}'))`, true],
    [`is_array(split('a,b', ','))`, true],
    ['str(12.5)', '12.5'],
    [`str(json_decode('{"a":1}'))`, '{"a":1}'],
    [`int('42')`, 42],
    ['int(3.9)', 3],
    ['int(true)', 1],
    [`float('2.5')`, 2.5],
    ['float(1.23456, 2)', 1.23],
    [`bool('true')`, true],
    ['bool(0)', false],
    ['coalesce(payload.a, payload.b, 7)', 7],
  ])('%s', (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it('conversion failures name the value', () => {
    expect(fault(`int('abc')`)).toBe('int cannot convert string "abc"');
    expect(fault(`bool('maybe')`)).toBe('bool cannot convert string "maybe"');
  });
});

describe('JSON, maps and arrays', () => {
  const payload = JSON.stringify({ m: { a: { b: 1 } }, arr: [1, 2, 3] });
  it.each([
    ['json_encode(payload.m)', '{"a":{"b":1}}'],
    [`json_decode('[1, 2]')`, [1, 2]],
    [`map_get('a.b', payload.m)`, 1],
    [`map_get('zz', payload.m, 'dflt')`, 'dflt'],
    [`map_put('a.c', 2, payload.m)`, { a: { b: 1, c: 2 } }],
    [`map_keys(payload.m)`, ['a']],
    [`map_values(map_get('a', payload.m))`, [1]],
    [`mget('a', payload.m)`, { b: 1 }],
    ['nth(1, payload.arr)', 1],
    ['nth(-1, payload.arr)', 3],
    ['length(payload.arr)', 3],
    [`length('abc')`, 3],
    ['contains(2, payload.arr)', true],
    ['contains(9, payload.arr)', false],
    ['first(payload.arr)', 1],
    ['last(payload.arr)', 3],
    ['sublist(2, payload.arr)', [1, 2]],
    ['sublist(2, 2, payload.arr)', [2, 3]],
    [`map_get('k', '{"k": "from text"}')`, 'from text'],
  ])('%s', (expr, expected) => {
    expect(value(expr, payload)).toEqual(expected);
  });

  it('fails on bad input', () => {
    expect(fault(`json_decode('{bad')`)).toMatch(/json_decode: invalid JSON/);
    expect(fault('nth(4, payload.arr)', payload)).toBe('nth: index 4 out of range 1..3');
    expect(fault('first(payload.m)', payload)).toMatch(/first expects an array/);
  });
});

describe('bits, encodings and hashes', () => {
  it.each([
    ['bitand(12, 10)', 8],
    ['bitor(12, 10)', 14],
    ['bitxor(12, 10)', 6],
    ['bitnot(0)', -1],
    ['bitsl(1, 40)', 1_099_511_627_776], // beyond int32: computed on BigInt
    ['bitsr(1024, 3)', 128],
    [`base64_encode('hello')`, 'aGVsbG8='],
    [`base64_decode('aGVsbG8=')`, 'hello'],
    [`bin2hexstr('hello')`, '68656C6C6F'],
    [`hexstr2bin('68656c6c6f')`, 'hello'],
    [`md5('hello')`, '5d41402abc4b2a76b9719d911017c592'],
    [`sha('hello')`, 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
    [`sha256('hello')`, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ])('%s', (expr, expected) => {
    expect(value(expr)).toEqual(expected);
  });

  it('binary that is not UTF-8 stays bytes', () => {
    expect(value(`hexstr2bin('ff00')`)).toEqual(new Uint8Array([0xff, 0x00]));
    expect(value(`bin2hexstr(hexstr2bin('ff00'))`)).toBe('FF00');
  });

  it('uuid_v4 is a fresh RFC 4122 v4 id each call', () => {
    const a = value('uuid_v4()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value('uuid_v4()')).not.toBe(a);
    expect(value('uuid_v4_no_hyphen()')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('bad encodings fail the message', () => {
    expect(fault(`hexstr2bin('abc')`)).toMatch(/even-length hex/);
    expect(fault(`base64_decode('@@')`)).toMatch(/not base64/);
    expect(fault('bitand(1.5, 1)')).toMatch(/expects an integer/);
  });
});

describe('time', () => {
  const clock = { now: () => 1_622_000_000_123 };
  it.each([
    ['now_timestamp()', 1_622_000_000],
    [`now_timestamp('millisecond')`, 1_622_000_000_123],
    [`now_rfc3339('millisecond')`, '2021-05-26T03:33:20.123Z'],
    ['unix_ts_to_rfc3339(1622000000)', '2021-05-26T03:33:20Z'],
    [`unix_ts_to_rfc3339(1622000000123, 'millisecond')`, '2021-05-26T03:33:20.123Z'],
    [`unix_ts_to_rfc3339(1622000000, 'second', '+08:00')`, '2021-05-26T11:33:20+08:00'],
    [`rfc3339_to_unix_ts('2021-05-26T11:33:20+08:00')`, 1_622_000_000],
    [`rfc3339_to_unix_ts('2021-05-26T03:33:20.123Z', 'millisecond')`, 1_622_000_000_123],
    [`format_date('second', '+08:00', '%Y-%m-%d %H:%M:%S', 1622000000)`, '2021-05-26 11:33:20'],
    [
      `format_date('second', 'Asia/Shanghai', '%Y-%m-%d %H:%M:%S %z', 1622000000)`,
      '2021-05-26 11:33:20 +0800',
    ],
    [
      `format_date('second', 'America/New_York', '%Y-%m-%dT%H:%M:%S%:z', 1622000000)`,
      '2021-05-25T23:33:20-04:00',
    ],
    [`format_date('second', 'America/New_York', '%H:%M %:z', 1611000000)`, '15:00 -05:00'], // EST in January
    [`format_date('millisecond', 'Z', '%H:%M:%S.%3N %s %%', 1622000000123)`, '03:33:20.123 1622000000 %'],
    [`format_date('millisecond', -3600, '%H:%M', 1622000000123)`, '02:33'],
    [`format_date('millisecond', 'Z', '%Y')`, '2021'], // defaults to now
  ])('%s', (expr, expected) => {
    expect(value(expr, '{}', { clock })).toEqual(expected);
  });

  it('bad dates and zones fail the message', () => {
    expect(fault(`rfc3339_to_unix_ts('yesterday')`)).toMatch(/not an RFC 3339/);
    expect(fault(`format_date('second', 'Mars/Olympus', '%Y', 0)`)).toMatch(/unknown time zone/);
  });
});

describe('water unit conversions', () => {
  it.each([
    [`convert_flow(3.6, 'm3/h', 'L/s')`, 1],
    [`convert_flow(1, 'L/s', 'm3/d')`, 86.4],
    [`convert_flow(1, 'ML/d', 'm3/h')`, 1000 / 24],
    [`convert_pressure(100, 'kPa', 'bar')`, 1],
    [`convert_pressure(9.80665, 'kPa', 'm')`, 1],
    [`convert_pressure(1, 'MPa', 'psi')`, 145.03773773],
    [`convert_pressure(0.35, 'MPa', 'kPa')`, 350],
    [`convert_volume(1, 'm3', 'L')`, 1000],
    [`convert_volume(1, 'gal', 'L')`, 3.785411784],
  ])('%s', (expr, expected) => {
    expect(value(expr)).toBeCloseTo(expected, 6);
  });

  it('null passes through; units chosen at run time are still checked', () => {
    expect(value(`convert_flow(payload.q, 'm3/h', 'L/s')`)).toBe(null);
    expect(fault(`convert_flow(1, payload.u, 'L/s')`, '{"u": "cfs"}')).toMatch(/unknown unit/);
  });
});
