import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.js';
import { statsOption } from './stats-chart-option.js';

describe('statsOption', () => {
  it('plots the rates on the left axis and clients on the right', () => {
    const o = statsOption({
      messagesIn: [[1, 2]],
      messagesOut: [[1, 3]],
      dropped: [[1, 0]],
      clients: [[1, 4]],
    });
    const series = o.series as { name: string; yAxisIndex: number; data: unknown }[];
    expect(series.map((s) => [s.name, s.yAxisIndex])).toEqual([
      ['in', 0],
      ['out', 0],
      ['dropped', 0],
      ['clients', 1],
    ]);
    expect(series[3]!.data).toEqual([[1, 4]]);
  });
  it('names the series and axes in the chosen language', () => {
    const o = statsOption({ messagesIn: [], messagesOut: [], dropped: [], clients: [] }, translator('zh'));
    const series = o.series as { name: string }[];
    expect(series.map((s) => s.name)).toEqual(['流入', '流出', '丢弃', '连接数']);
    expect((o.yAxis as { name: string }[]).map((a) => a.name)).toEqual(['条/秒', '连接数']);
  });
});
