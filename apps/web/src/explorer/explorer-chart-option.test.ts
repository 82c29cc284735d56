import { describe, expect, it } from 'vitest';
import { badSpans, buildExplorerOption, QUALITY_MARK, type ChartSeries } from './explorer-chart-option.js';
import type { Row } from './explorer-data.js';

const text = {
  format: (_id: string, v: number) => v.toFixed(1),
  min: 'min',
  max: 'max',
  bad: 'bad',
  uncertain: 'uncertain',
};

function series(id: string, unit: string, rows: Row[], color = '#4fc3f7'): ChartSeries {
  return { id, label: `${id} [${unit}]`, unit, isState: false, color, rows };
}

type AnySeries = { id?: string; name?: string; type?: string; data?: unknown[]; yAxisIndex?: number };

describe('explorer chart option', () => {
  const rows: Row[] = [
    { ts: 0, value: 1, min: 0, max: 2, quality: 'good' },
    { ts: 60_000, value: 2, min: 1, max: 4, quality: 'uncertain' },
    { ts: 120_000, value: null, min: null, max: null, quality: 'bad' },
    { ts: 180_000, value: 3, min: 3, max: 3, quality: 'good' },
  ];

  it('draws mean, min and max lines and quality marks under one legend name', () => {
    const opt = buildExplorerOption([series('a', 'bar', rows)], { from: 0, to: 180_000 }, new Set(), text);
    const out = opt.series as AnySeries[];
    expect(out.map((x) => [x.id, x.name, x.type])).toEqual([
      ['a', 'a [bar]', 'line'],
      ['a#min', 'a [bar]', 'line'],
      ['a#max', 'a [bar]', 'line'],
      ['a#q', 'a [bar]', 'scatter'],
    ]);
    expect(out[0]?.data?.[2]).toEqual([120_000, null, null, null, 'bad']);
    // The uncertain bucket is marked where it is drawn; the bad one has no value to mark.
    expect(out[3]?.data).toEqual([
      {
        value: [60_000, 2],
        symbol: QUALITY_MARK.uncertain.symbol,
        itemStyle: { color: QUALITY_MARK.uncertain.color },
      },
    ]);
  });

  it('shades bad gaps until the next value', () => {
    expect(badSpans(rows)).toEqual([[120_000, 180_000]]);
    expect(
      badSpans([
        { ts: 0, value: 1, quality: 'good' },
        { ts: 5, value: null, quality: 'bad' },
        { ts: 6, value: null, quality: 'bad' },
      ]),
    ).toEqual([[5, 6]]);
    // A bad sample that still carries a value is marked, not shaded.
    expect(badSpans([{ ts: 0, value: 7, quality: 'bad' }])).toEqual([]);
  });

  it('puts raw series on their unit’s axis with no min/max lines, and reflects hidden series in the legend', () => {
    const raw: Row[] = [{ ts: 0, value: 1, quality: 'good' }];
    const opt = buildExplorerOption(
      [series('a', 'bar', raw), series('b', 'm³/h', raw, '#ffb74d'), series('c', 'mg/L', raw, '#81c784')],
      { from: 0, to: 1 },
      new Set(['a']),
      text,
    );
    const out = opt.series as AnySeries[];
    expect(out.map((x) => [x.id, x.yAxisIndex])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    const axes = opt.yAxis as { show: boolean; position: string; name: string }[];
    expect(axes.map((a) => [a.name, a.show, a.position])).toEqual([
      ['bar', false, 'left'],
      ['m³/h', true, 'left'],
      ['mg/L', true, 'right'],
    ]);
    const legend = opt.legend as { selected: Record<string, boolean> };
    expect(legend.selected).toEqual({ 'a [bar]': false, 'b [m³/h]': true, 'c [mg/L]': true });
  });
});
