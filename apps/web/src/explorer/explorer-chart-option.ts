import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { compact } from '../trend/chart-options.js';
import { planAxes } from './explorer-axes.js';
import { plotValue, type Row } from './explorer-data.js';

export type ExplorerOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
  | MarkAreaComponentOption
>;

/** A series to draw: a point's rows, its legend label (unique on the chart) and colour. */
export interface ChartSeries {
  id: string;
  label: string;
  unit: string | undefined;
  isState: boolean;
  color: string;
  rows: readonly Row[];
}

export interface ChartText {
  /** A value of a series as the point list writes it (unit-aware decimals, Running/Stopped …). */
  format: (seriesId: string, value: number) => string;
  /** Tooltip words. */
  min: string;
  max: string;
  bad: string;
  uncertain: string;
  locale?: string | undefined;
}

/** Quality marks: a colour and shape apart from the series palette, so they read as state. */
export const QUALITY_MARK = {
  bad: { color: '#f85149', symbol: 'triangle' },
  uncertain: { color: '#d29922', symbol: 'circle' },
} as const;

const TEXT = '#9aa7b4';
const GRID_LINE = '#26313c';
const AXIS_GAP = 56;

/**
 * Spans of bad data without a value — outages, failed reads — each from its first row to the
 * next row after it, drawn as a shaded band: a gap in a line alone is easy to miss.
 */
export function badSpans(rows: readonly Row[]): [number, number][] {
  const spans: [number, number][] = [];
  let start: number | undefined;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Row;
    const gap = r.quality === 'bad' && plotValue(r.value) === null;
    if (gap && start === undefined) start = r.ts;
    if (!gap && start !== undefined) {
      spans.push([start, r.ts]);
      start = undefined;
    }
  }
  const last = rows[rows.length - 1];
  if (start !== undefined && last !== undefined) spans.push([start, Math.max(last.ts, start)]);
  return spans;
}

/**
 * The explorer's chart: a time axis pinned to the window with wheel/drag zoom and a slider,
 * one y-axis per unit with at most two drawn (see planAxes), a legend that switches series on
 * and off (`hidden`), and for each series its line (the mean of each bucket), its min and max
 * as faint dashed lines, marks on bad and uncertain values and bands over bad gaps. A series'
 * lines and marks share its name, so its legend entry switches them together.
 */
export function buildExplorerOption(
  series: readonly ChartSeries[],
  window: { from: number; to: number },
  hidden: ReadonlySet<string>,
  text: ChartText,
): ExplorerOption {
  const plan = planAxes(series, hidden);
  const left = plan.axes.filter((a) => a.side === 'left').length;
  const right = plan.axes.filter((a) => a.side === 'right').length;
  const out: (LineSeriesOption | ScatterSeriesOption)[] = [];
  for (const s of series) {
    const yAxisIndex = plan.axisOf.get(s.id) ?? 0;
    const banded = !s.isState && s.rows.some((r) => r.min !== undefined);
    out.push({
      id: s.id,
      name: s.label,
      type: 'line',
      yAxisIndex,
      data: s.rows.map((r) => [r.ts, plotValue(r.value), r.min ?? null, r.max ?? null, r.quality]),
      step: s.isState ? 'end' : undefined,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.6, color: s.color },
      itemStyle: { color: s.color },
      emphasis: { disabled: true },
      markArea: {
        silent: true,
        itemStyle: { color: 'rgba(248, 81, 73, 0.12)' },
        data: badSpans(s.rows).map(([from, to]) => [{ xAxis: from }, { xAxis: to }]),
      },
    });
    if (banded) {
      for (const edge of ['min', 'max'] as const) {
        out.push({
          id: `${s.id}#${edge}`,
          name: s.label,
          type: 'line',
          yAxisIndex,
          data: s.rows.map((r) => [r.ts, r[edge] ?? null]),
          showSymbol: false,
          connectNulls: false,
          silent: true,
          lineStyle: { width: 1, type: 'dashed', color: s.color, opacity: 0.5 },
          itemStyle: { color: s.color },
          emphasis: { disabled: true },
          tooltip: { show: false },
        });
      }
    }
    const marks = s.rows.flatMap((r) => {
      const v = plotValue(r.value);
      if (r.quality === 'good' || v === null) return [];
      const m = QUALITY_MARK[r.quality];
      return [{ value: [r.ts, v], symbol: m.symbol, itemStyle: { color: m.color } }];
    });
    if (marks.length > 0)
      out.push({
        id: `${s.id}#q`,
        name: s.label,
        type: 'scatter',
        yAxisIndex,
        data: marks,
        symbolSize: 8,
        silent: true,
        tooltip: { show: false },
        z: 3,
      });
  }

  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: TEXT, fontFamily: 'inherit' },
    grid: { left: 16 + Math.max(1, left) * AXIS_GAP, right: 16 + right * AXIS_GAP, top: 48, bottom: 72 },
    legend: {
      type: 'scroll',
      top: 4,
      textStyle: { color: TEXT },
      inactiveColor: '#3a4754',
      data: series.map((s) => ({ name: s.label, itemStyle: { color: s.color } })),
      selected: Object.fromEntries(series.map((s) => [s.label, !hidden.has(s.id)])),
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: '#111922',
      borderColor: '#2e3a46',
      textStyle: { color: '#e6edf3' },
      axisPointer: { type: 'line', lineStyle: { color: '#5b6b7a' } },
      formatter: (params) => tooltipHtml(Array.isArray(params) ? params : [params], text),
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      {
        type: 'slider',
        xAxisIndex: 0,
        filterMode: 'none',
        bottom: 12,
        height: 22,
        borderColor: '#33414f',
        textStyle: { color: TEXT },
      },
    ],
    xAxis: {
      type: 'time',
      min: window.from,
      max: window.to,
      axisLine: { lineStyle: { color: '#3a4754' } },
      axisLabel: { color: TEXT, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: GRID_LINE } },
    },
    yAxis: plan.axes.map((axis, i) => {
      const first = series.find((s) => plan.axisOf.get(s.id) === i);
      const color = first?.color ?? TEXT;
      const isState = axis.key === 'state';
      const sideIndex = plan.axes.slice(0, i).filter((a) => a.side === axis.side).length;
      const stateLabel = (v: number): string =>
        v === 0 || v === 1 ? (first !== undefined ? text.format(first.id, v) : String(v)) : '';
      return {
        type: 'value' as const,
        show: axis.side !== undefined,
        name: isState ? '' : axis.key,
        nameTextStyle: { color },
        position: axis.side ?? 'left',
        offset: sideIndex * AXIS_GAP,
        scale: !isState,
        min: isState ? -0.25 : undefined,
        max: isState ? 1.25 : undefined,
        interval: isState ? 0.25 : undefined,
        axisLine: { show: true, lineStyle: { color } },
        axisLabel: { color, formatter: isState ? stateLabel : (v: number) => compact(v) },
        splitLine: { show: axis.side === 'left', lineStyle: { color: GRID_LINE } },
      };
    }),
    series: out,
  };
}

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  marker?: unknown;
  value?: unknown;
}

function tooltipHtml(list: readonly TooltipParam[], text: ChartText): string {
  const main = list.filter((p) => p.seriesId !== undefined && !p.seriesId.includes('#'));
  const first = main[0];
  const ts = Array.isArray(first?.value) ? Number(first.value[0]) : NaN;
  const head = Number.isFinite(ts) ? new Date(ts).toLocaleString(text.locale, { hour12: false }) : '';
  const rows = main.map((p) => {
    const [, v, min, max, quality] = Array.isArray(p.value) ? (p.value as unknown[]) : [];
    const id = p.seriesId ?? '';
    let value = escapeHtml(typeof v === 'number' ? text.format(id, v) : '—');
    if (typeof min === 'number' && typeof max === 'number')
      value += ` <span class="tt-range">(${escapeHtml(text.min)} ${escapeHtml(text.format(id, min))} · ${escapeHtml(text.max)} ${escapeHtml(text.format(id, max))})</span>`;
    const q =
      quality === 'bad' || quality === 'uncertain'
        ? ` <span class="tt-q tt-q-${quality}">${escapeHtml(quality === 'bad' ? text.bad : text.uncertain)}</span>`
        : '';
    const marker = typeof p.marker === 'string' ? p.marker : '';
    return `<div class="tt-row">${marker}<span>${escapeHtml(p.seriesName ?? '')}</span><b>${value}</b>${q}</div>`;
  });
  return `<div class="tt-head">${escapeHtml(head)}</div>${rows.join('')}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
