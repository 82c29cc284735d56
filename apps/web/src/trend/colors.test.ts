import { describe, expect, it } from 'vitest';
import { SERIES_COLORS } from './chart-options.js';
import { assignColors } from './colors.js';

describe('assignColors', () => {
  it('keeps colours of points that stay selected and fills gaps for new ones', () => {
    const first = assignColors(new Map(), ['a', 'b', 'c']);
    expect([...first.values()]).toEqual(SERIES_COLORS.slice(0, 3));
    const afterRemove = assignColors(first, ['b', 'c']);
    expect(afterRemove.get('b')).toBe(first.get('b'));
    expect(afterRemove.get('c')).toBe(first.get('c'));
    const afterAdd = assignColors(afterRemove, ['b', 'c', 'd']);
    expect(afterAdd.get('d')).toBe(SERIES_COLORS[0]);
  });
});
