import { describe, expect, it } from 'vitest';
import { compileTemplate, isConstantTemplate } from './template.js';

describe('${field} templates', () => {
  const row = {
    site: 's1',
    flow: 12.5,
    ok: true,
    none: null,
    payload: { values: { flow: 3 } },
    arr: [1, 2, 3],
    raw: '{"a":{"b":7}}',
  };

  it.each([
    ['plain text', 'plain text'],
    ['ws/v1/${site}/alerts', 'ws/v1/s1/alerts'],
    ['${flow}|${ok}|${none}|${missing}', '12.5|true||'],
    ['${payload.values.flow}', '3'],
    ['${payload.values}', '{"flow":3}'],
    ['${arr[1]}/${arr[-1]}', '1/3'],
    ['${raw.a.b}', '7'],
    ['${ site }', 's1'],
  ])('%s', (text, expected) => {
    expect(compileTemplate(text)(row)).toBe(expected);
  });

  it('${.} is the whole row as JSON', () => {
    expect(compileTemplate('${.}')({ a: 1 })).toBe('{"a":1}');
  });

  it('knows constant templates', () => {
    expect(isConstantTemplate('a/b')).toBe(true);
    expect(isConstantTemplate('a/${b}')).toBe(false);
  });
});
