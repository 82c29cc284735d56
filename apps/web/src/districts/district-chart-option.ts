import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { DmaDay } from './districts-types.js';

export type DistrictOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface BalanceText {
  systemInput: string;
  metered: string;
  nrwPct: string;
  volumeAxis: string;
}

export interface NightText {
  mnf: string;
  baseline: string;
  allowance: string;
  leak: string;
  flowAxis: string;
}

const TEXT = '#9aa7b4';
const GRID_LINE = '#26313c';
export const DISTRICT_COLORS = {
  input: '#58a6ff',
  metered: '#3fb950',
  nrw: '#d29922',
  mnf: '#a5d6ff',
  baseline: '#8b949e',
  allowance: '#6e7681',
  leak: '#f85149',
} as const;

const round = (v: number | null, digits = 1): number | null =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

function frame(dates: string[]): Pick<DistrictOption, 'grid' | 'xAxis' | 'tooltip' | 'legend' | 'textStyle'> {
  return {
    textStyle: { color: TEXT },
    grid: { left: 56, right: 56, top: 36, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: TEXT } },
    xAxis: {
      type: 'category',
      data: dates,
      axisLabel: { color: TEXT },
      axisLine: { lineStyle: { color: GRID_LINE } },
    },
  };
}

/**
 * The water balance of each day: the volume the district took in beside the volume its meters
 * recorded (bars, m³), and the share that is non-revenue water (line, % on the right axis). A
 * day whose input or meters are under-covered has no NRW: the API says null and the line breaks
 * there rather than inventing a figure.
 */
export function balanceOption(days: readonly DmaDay[], text: BalanceText): DistrictOption {
  const dates = days.map((d) => d.date);
  return {
    ...frame(dates),
    yAxis: [
      {
        type: 'value',
        name: text.volumeAxis,
        nameTextStyle: { color: TEXT },
        axisLabel: { color: TEXT },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      {
        type: 'value',
        name: '%',
        min: 0,
        max: (v: { max: number }) => Math.max(40, Math.ceil(v.max / 10) * 10),
        nameTextStyle: { color: TEXT },
        axisLabel: { color: TEXT },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: text.systemInput,
        type: 'bar',
        data: days.map((d) => round(d.systemInputM3, 0)),
        itemStyle: { color: DISTRICT_COLORS.input },
      },
      {
        name: text.metered,
        type: 'bar',
        data: days.map((d) => round(d.meteredM3, 0)),
        itemStyle: { color: DISTRICT_COLORS.metered },
      },
      {
        name: text.nrwPct,
        type: 'line',
        yAxisIndex: 1,
        data: days.map((d) => round(d.nrwPct)),
        connectNulls: false,
        lineStyle: { color: DISTRICT_COLORS.nrw, width: 2 },
        itemStyle: { color: DISTRICT_COLORS.nrw },
      },
    ],
  };
}

/**
 * Minimum night flow per night against its baseline and the legitimate-use allowance: the
 * chart a leakage engineer reads first (IWA water balance practice: a night flow that steps up
 * and stays up is a new leak). Flagged nights are drawn red, with the estimated leak in the
 * tooltip.
 */
export function nightFlowOption(days: readonly DmaDay[], text: NightText): DistrictOption {
  const dates = days.map((d) => d.date);
  return {
    ...frame(dates),
    yAxis: [
      {
        type: 'value',
        name: text.flowAxis,
        nameTextStyle: { color: TEXT },
        axisLabel: { color: TEXT },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
    ],
    series: [
      {
        name: text.mnf,
        type: 'bar',
        // The legend's swatch; each bar's own colour (red when flagged) overrides it.
        itemStyle: { color: DISTRICT_COLORS.mnf },
        data: days.map((d) => ({
          value: round(d.mnfM3h, 2),
          itemStyle: { color: d.leak ? DISTRICT_COLORS.leak : DISTRICT_COLORS.mnf },
        })),
      },
      {
        name: text.baseline,
        type: 'line',
        step: 'middle',
        data: days.map((d) => round(d.baselineM3h, 2)),
        showSymbol: false,
        connectNulls: false,
        lineStyle: { color: DISTRICT_COLORS.baseline, type: 'dashed', width: 1.5 },
        itemStyle: { color: DISTRICT_COLORS.baseline },
      },
      {
        name: text.allowance,
        type: 'line',
        step: 'middle',
        data: days.map((d) => round(d.allowanceM3h, 2)),
        showSymbol: false,
        lineStyle: { color: DISTRICT_COLORS.allowance, type: 'dotted', width: 1.5 },
        itemStyle: { color: DISTRICT_COLORS.allowance },
      },
    ],
  };
}
