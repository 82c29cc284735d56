import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { PlotPoint } from './series-buffer.js';

export type TrendOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption
>;

export interface TrendSeries {
  id: string;
  label: string;
  unit: string | undefined;
  /** On/off points plot as steps on a 0/1 axis labelled with their states. */
  isState: boolean;
  color: string;
  data: PlotPoint[];
}

export const SERIES_COLORS = [
  '#4fc3f7',
  '#ffb74d',
  '#81c784',
  '#f06292',
  '#ba68c8',
  '#fff176',
  '#4db6ac',
  '#e57373',
];

const AXIS_GAP = 52;
const TEXT = '#9aa7b4';
const GRID_LINE = '#26313c';

/** The axis a series is drawn against: one per unit, so m³/h and bar never share a scale. */
export function axisKeyOf(s: Pick<TrendSeries, 'unit' | 'isState'>): string {
  if (s.isState) return 'state';
  return s.unit ?? '';
}

/**
 * The ECharts option for overlaid trends: a time axis pinned to the selected window, and one
 * y-axis per distinct unit, alternating left and right and stepping outwards. The tooltip's time
 * is written in `locale` (the console's language; the browser's when undefined).
 */
export function buildTrendOption(
  series: readonly TrendSeries[],
  window: { from: number; to: number },
  format: (seriesId: string, value: number) => string,
  locale?: string,
): TrendOption {
  const axisKeys: string[] = [];
  for (const s of series) {
    const k = axisKeyOf(s);
    if (!axisKeys.includes(k)) axisKeys.push(k);
  }
  // A cartesian grid needs a y-axis even before anything is plotted.
  if (axisKeys.length === 0) axisKeys.push('');
  const left = axisKeys.filter((_, i) => i % 2 === 0).length;
  const right = axisKeys.length - left;

  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: TEXT, fontFamily: 'inherit' },
    grid: {
      left: 16 + Math.max(1, left) * AXIS_GAP,
      right: 16 + Math.max(0, right) * AXIS_GAP,
      top: 40,
      bottom: 56,
    },
    // No legend: the chips above the chart name each series in its colour and remove it.
    tooltip: {
      trigger: 'axis',
      backgroundColor: '#111922',
      borderColor: '#2e3a46',
      textStyle: { color: '#e6edf3' },
      axisPointer: { type: 'line', lineStyle: { color: '#5b6b7a' } },
      valueFormatter: undefined,
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const first = list[0];
        const ts = Array.isArray(first?.value) ? Number(first.value[0]) : NaN;
        const head = Number.isFinite(ts) ? new Date(ts).toLocaleString(locale, { hour12: false }) : '';
        const rows = list.map((p) => {
          const v = Array.isArray(p.value) ? p.value[1] : undefined;
          const text = typeof v === 'number' ? format(p.seriesId ?? '', v) : '—';
          return `<div class="tt-row">${typeof p.marker === 'string' ? p.marker : ''}<span>${escapeHtml(p.seriesName ?? '')}</span><b>${escapeHtml(text)}</b></div>`;
        });
        return `<div class="tt-head">${escapeHtml(head)}</div>${rows.join('')}`;
      },
    },
    dataZoom: [{ type: 'inside', filterMode: 'none' }],
    xAxis: {
      type: 'time',
      min: window.from,
      max: window.to,
      axisLine: { lineStyle: { color: '#3a4754' } },
      axisLabel: { color: TEXT, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: GRID_LINE } },
    },
    yAxis: axisKeys.map((key, i) => {
      const first = series.find((s) => axisKeyOf(s) === key);
      const color = first?.color ?? TEXT;
      const isState = key === 'state';
      // A state axis labels only 0 and 1, in the words the point list uses (Running/Stopped …).
      const stateLabel = (v: number): string =>
        v === 0 || v === 1 ? (first !== undefined ? format(first.id, v) : String(v)) : '';
      return {
        type: 'value' as const,
        name: isState ? '' : key,
        nameTextStyle: { color },
        position: i % 2 === 0 ? ('left' as const) : ('right' as const),
        offset: Math.floor(i / 2) * AXIS_GAP,
        scale: !isState,
        min: isState ? -0.25 : undefined,
        max: isState ? 1.25 : undefined,
        interval: isState ? 0.25 : undefined,
        axisLine: { show: true, lineStyle: { color } },
        axisTick: { show: !isState },
        axisLabel: { color, formatter: isState ? stateLabel : (v: number) => compact(v) },
        splitLine: { show: i === 0, lineStyle: { color: GRID_LINE } },
      };
    }),
    series: series.map((s) => ({
      id: s.id,
      name: s.label,
      type: 'line' as const,
      yAxisIndex: axisKeys.indexOf(axisKeyOf(s)),
      data: s.data,
      step: s.isState ? ('end' as const) : undefined,
      showSymbol: false,
      connectNulls: false,
      // No `sampling`: the server already downsamples history to ~2000 points, and with LTTB
      // on, ECharts' axis tooltip drops the series from its list.
      lineStyle: { width: 1.6, color: s.color },
      itemStyle: { color: s.color },
      emphasis: { disabled: true },
    })),
  };
}

/** Axis tick labels: ECharts picks round tick values; strip float noise and shorten big ones. */
export function compact(v: number): string {
  if (Math.abs(v) >= 10_000) return `${Number((v / 1000).toPrecision(4))}k`;
  return String(Number(v.toPrecision(6)));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
