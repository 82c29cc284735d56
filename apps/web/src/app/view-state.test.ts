import { describe, expect, it } from 'vitest';
import { MAX_COMPARE, formatViewState, parseViewState, toggleSelected } from './view-state.js';

describe('view state in the URL fragment', () => {
  it('round-trips site, selection and range', () => {
    const v = {
      site: 'north',
      selected: ['north.plc1.pumps.p1_run', 'north.rtu2.network.discharge_p'],
      range: '6h' as const,
    };
    const hash = formatViewState(v);
    expect(hash).toBe('#site=north&points=north.plc1.pumps.p1_run,north.rtu2.network.discharge_p&range=6h');
    expect(parseViewState(hash)).toEqual(v);
  });

  it('falls back to sane defaults on junk', () => {
    expect(parseViewState('#range=7y&points=,,a,a')).toEqual({
      site: undefined,
      selected: ['a'],
      range: '1h',
    });
    expect(parseViewState('')).toEqual({ site: undefined, selected: [], range: '1h' });
  });
});

describe('toggleSelected', () => {
  it('adds and removes, keeping at most MAX_COMPARE (dropping the oldest)', () => {
    expect(toggleSelected(['a', 'b'], 'a')).toEqual(['b']);
    let s: string[] = [];
    for (let i = 0; i <= MAX_COMPARE; i++) s = toggleSelected(s, `p${i}`);
    expect(s).toHaveLength(MAX_COMPARE);
    expect(s[0]).toBe('p1');
  });
});
