import { describe, expect, it } from 'vitest';
import { compileTemplate } from './template.js';

describe('compileTemplate', () => {
  const row = {
    point: 'north.pump 1',
    value: 'say "hi"',
    n: 3.5,
    ok: true,
    tags: { site: 'north' },
    none: null,
  };

  it('inserts fields, nested fields and filtered values', () => {
    expect(compileTemplate('${point}=${n} ${ok} ${tags.site}').render(row)).toBe(
      'north.pump 1=3.5 true north',
    );
    expect(compileTemplate('{"v":${value|json},"m":${missing|json}}').render(row)).toBe(
      '{"v":"say \\"hi\\"","m":null}',
    );
    expect(JSON.parse(compileTemplate('{"v":${value|json},"t":${tags|json}}').render(row))).toEqual({
      v: 'say "hi"',
      t: { site: 'north' },
    });
    expect(compileTemplate('/p/${point|url}').render(row)).toBe('/p/north.pump%201');
  });

  it('renders missing and null fields as nothing, objects as JSON, and $${ as a literal', () => {
    expect(compileTemplate('[${missing}][${none}][${tags}]').render(row)).toBe('[][][{"site":"north"}]');
    expect(compileTemplate('cost: $${n} is ${n}').render(row)).toBe('cost: ${n} is 3.5');
    expect(compileTemplate('no placeholders').render(row)).toBe('no placeholders');
  });

  it('rejects placeholders that are not a field path or use an unknown filter', () => {
    expect(() => compileTemplate('${a + b}')).toThrow(/WS_ERR|not \$\{field\}/);
    expect(() => compileTemplate('${a|upper}')).toThrow(/unknown filter upper/);
  });
});
