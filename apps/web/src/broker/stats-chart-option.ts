import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { tEn, type Translate } from '../i18n/translate.js';
import type { RateSeries } from './broker-logic.js';

export type StatsOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

const TEXT = '#9aa7b4';
const GRID_LINE = '#26313c';

/**
 * Message rates (left axis, per second) and connected clients (right axis): two scales, since
 * a few hundred clients and tens of thousands of messages a second never fit one.
 */
export function statsOption(s: RateSeries, t: Translate = tEn): StatsOption {
  const line = (name: string, data: [number, number][], color: string, yAxisIndex = 0): LineSeriesOption => ({
    type: 'line',
    name,
    data,
    yAxisIndex,
    showSymbol: false,
    animation: false,
    lineStyle: { width: 1.5, color },
    itemStyle: { color },
  });
  return {
    grid: { left: 56, right: 56, top: 32, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: TEXT } },
    xAxis: { type: 'time', axisLabel: { color: TEXT }, splitLine: { show: false } },
    yAxis: [
      {
        type: 'value',
        name: t('broker.chart.msgRate'),
        min: 0,
        nameTextStyle: { color: TEXT },
        axisLabel: { color: TEXT },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      {
        type: 'value',
        name: t('broker.chart.clients'),
        min: 0,
        minInterval: 1,
        nameTextStyle: { color: TEXT },
        axisLabel: { color: TEXT },
        splitLine: { show: false },
      },
    ],
    series: [
      line(t('broker.chart.in'), s.messagesIn, '#4fc3f7'),
      line(t('broker.chart.out'), s.messagesOut, '#81c784'),
      line(t('broker.chart.dropped'), s.dropped, '#e57373'),
      line(t('broker.chart.clients'), s.clients, '#ffb74d', 1),
    ],
  };
}
