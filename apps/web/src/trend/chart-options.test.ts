import { describe, expect, it } from 'vitest';
import { buildTrendOption, compact, type TrendSeries } from './chart-options.js';

function s(id: string, unit: string | undefined, isState = false): TrendSeries {
  return { id, label: id, unit, isState, color: '#fff', data: [[1, 1]] };
}

describe('buildTrendOption', () => {
  it('gives each unit its own y-axis, alternating sides, and shares an axis within a unit', () => {
    const opt = buildTrendOption(
      [s('a', 'bar'), s('b', 'm³/h'), s('c', 'bar'), s('d', undefined, true)],
      { from: 0, to: 10 },
      String,
    );
    const axes = opt.yAxis as { name: string; position: string; offset: number }[];
    expect(axes.map((a) => [a.name, a.position, a.offset])).toEqual([
      ['bar', 'left', 0],
      ['m³/h', 'right', 0],
      ['', 'left', 52],
    ]);
    const series = opt.series as { id: string; yAxisIndex: number; step?: string }[];
    expect(series.map((x) => x.yAxisIndex)).toEqual([0, 1, 0, 2]);
    expect(series[3]!.step).toBe('end');
  });

  it('pins the time axis to the window', () => {
    const opt = buildTrendOption([s('a', 'bar')], { from: 100, to: 200 }, String);
    expect(opt.xAxis).toMatchObject({ type: 'time', min: 100, max: 200 });
  });
});

describe('buildTrendOption with nothing selected', () => {
  it('still has one y-axis for the empty grid', () => {
    const opt = buildTrendOption([], { from: 0, to: 10 }, String);
    expect(opt.yAxis).toHaveLength(1);
    expect(opt.series).toEqual([]);
  });
});

describe('compact', () => {
  it('keeps the precision of the tick and shortens large values', () => {
    expect(compact(404.5)).toBe('404.5');
    expect(compact(0.1 + 0.2)).toBe('0.3');
    expect(compact(12_500)).toBe('12.5k');
    expect(compact(-3)).toBe('-3');
  });
});
