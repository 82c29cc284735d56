import type { ComposeOption } from 'echarts/core';
import type { LinesSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { STATE_COLORS, type SiteState } from './overview-logic.js';
import type { MapFeature, OverviewMap } from './overview-types.js';

export type MapOption = ComposeOption<
  | LinesSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
>;

/** Line width per pipe size class (the server merges runs within these classes). */
const WIDTHS: readonly { below: number; width: number }[] = [
  { below: 1, width: 0.8 }, // pumps: a connection, not a pipe
  { below: 100, width: 0.6 },
  { below: 200, width: 1 },
  { below: 300, width: 1.6 },
  { below: 500, width: 2.4 },
  { below: Infinity, width: 3.4 },
];

const PIPE = '#4f7a9c';
const ASSET = '#8fb3cf';

/** A site marker's data item: its key travels with it to the click and tooltip handlers. */
export interface SiteDatum {
  name: string;
  value: [number, number];
  key: string;
  site: string;
  itemStyle: { color: string };
}

/**
 * The ECharts option drawing the overview map on a plain cartesian plane: EPANET coordinates are
 * planar and local, so no map projection (and no tile server, no WebGL). The axes' ranges are
 * widened on the short side so one unit is as long across as up (equal aspect) in a box of
 * `size`; the wheel zooms and a drag pans (inside dataZoom on both axes).
 */
export function mapOption(
  map: OverviewMap,
  size: { width: number; height: number },
  states: ReadonlyMap<string, SiteState>,
  label: (key: string) => string,
): MapOption {
  const [x, y] = equalAspect(map.bbox, size);
  const byWidth = WIDTHS.map(() => [] as { coords: number[][] }[]);
  const assets: { value: number[]; symbol: string }[] = [];
  const sites: SiteDatum[] = [];
  for (const f of map.features) addFeature(f, byWidth, assets, sites, states, label);
  return {
    animation: false,
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    xAxis: { type: 'value', min: x[0], max: x[1], show: false },
    yAxis: { type: 'value', min: y[0], max: y[1], show: false },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    tooltip: { trigger: 'item', confine: true },
    series: [
      ...byWidth.map((data, i): LinesSeriesOption => ({
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        polyline: true,
        silent: true,
        lineStyle: { color: PIPE, width: WIDTHS[i]!.width, opacity: 0.8 },
        data,
      })),
      {
        type: 'scatter',
        silent: true,
        symbolSize: 7,
        itemStyle: { color: ASSET },
        data: assets,
      },
      {
        id: 'sites',
        type: 'scatter',
        symbolSize: 16,
        itemStyle: { borderColor: '#0b1620', borderWidth: 2 },
        label: { show: true, position: 'right', color: '#d6e2ec', fontSize: 11, formatter: '{b}' },
        emphasis: { scale: 1.4 },
        z: 10,
        data: sites,
      },
    ],
  };
}

function addFeature(
  f: MapFeature,
  byWidth: { coords: number[][] }[][],
  assets: { value: number[]; symbol: string }[],
  sites: SiteDatum[],
  states: ReadonlyMap<string, SiteState>,
  label: (key: string) => string,
): void {
  const p = f.properties;
  if (p.kind === 'pipe') {
    if (f.geometry.type !== 'LineString') return;
    const i = WIDTHS.findIndex((w) => p.diameterMm < w.below);
    byWidth[i]!.push({ coords: f.geometry.coordinates });
  } else if (p.kind === 'site') {
    if (f.geometry.type !== 'Point') return;
    sites.push({
      name: label(p.key),
      value: [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!],
      key: p.key,
      site: p.site,
      itemStyle: { color: STATE_COLORS[states.get(p.key) ?? 'unknown'] },
    });
  } else if (p.kind === 'reservoir' || p.kind === 'tank') {
    if (f.geometry.type !== 'Point') return;
    assets.push({ value: f.geometry.coordinates, symbol: p.kind === 'tank' ? 'rect' : 'triangle' });
  }
}

/** Axis ranges around `bbox` (3 % margin) with the aspect of the box they are drawn in. */
export function equalAspect(
  bbox: readonly number[],
  size: { width: number; height: number },
): [[number, number], [number, number]] {
  const [x0 = 0, y0 = 0, x1 = 1, y1 = 1] = bbox;
  const w = Math.max(x1 - x0, 1e-9) * 1.06;
  const h = Math.max(y1 - y0, 1e-9) * 1.06;
  const box = Math.max(size.width, 1) / Math.max(size.height, 1);
  const [cw, ch] = w / h > box ? [w, w / box] : [h * box, h];
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return [
    [cx - cw / 2, cx + cw / 2],
    [cy - ch / 2, cy + ch / 2],
  ];
}
