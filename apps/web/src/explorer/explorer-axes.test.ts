import { describe, expect, it } from 'vitest';
import { planAxes } from './explorer-axes.js';

const s = (id: string, unit: string | undefined, isState = false) => ({ id, unit, isState });

describe('y-axis per unit, at most two drawn', () => {
  it('gives series of one unit one axis, in selection order, left then right', () => {
    const plan = planAxes([s('a', 'm³/h'), s('b', 'bar'), s('c', 'm³/h')]);
    expect(plan.axes).toEqual([
      { key: 'm³/h', side: 'left' },
      { key: 'bar', side: 'right' },
    ]);
    expect([...plan.axisOf]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
    ]);
  });

  it('scales a third unit on an axis of its own that is not drawn', () => {
    const plan = planAxes([s('a', 'm³/h'), s('b', 'bar'), s('c', 'mg/L'), s('d', undefined, true)]);
    expect(plan.axes.map((a) => a.side)).toEqual(['left', 'right', undefined, undefined]);
    expect(plan.axes.map((a) => a.key)).toEqual(['m³/h', 'bar', 'mg/L', 'state']);
  });

  it('lets the next unit draw its scale when a series is switched off in the legend', () => {
    const plan = planAxes([s('a', 'm³/h'), s('b', 'bar'), s('c', 'mg/L')], new Set(['b']));
    expect(plan.axes).toEqual([
      { key: 'm³/h', side: 'left' },
      { key: 'bar', side: undefined },
      { key: 'mg/L', side: 'right' },
    ]);
    // Indices do not move, so a toggle never repaints a line against another scale.
    expect(plan.axisOf.get('c')).toBe(2);
  });

  it('keeps one axis for an empty chart', () => {
    expect(planAxes([]).axes).toEqual([{ key: '', side: 'left' }]);
  });
});
