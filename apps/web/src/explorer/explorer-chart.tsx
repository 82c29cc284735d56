import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ExplorerOption } from './explorer-chart-option.js';

// Only what the explorer draws, so its chunk carries lines, marks, a legend and zoom.
echarts.use([
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  DataZoomComponent,
  LegendComponent,
  MarkAreaComponent,
  CanvasRenderer,
]);

/**
 * An ECharts instance bound to a div: created on mount (and anew on a language switch, since
 * ECharts takes its locale only at init), resized with its box, disposed on unmount. A click on
 * the legend is reported by series name; the page owns which series are hidden.
 */
export function ExplorerChart({
  option,
  label,
  lang,
  onLegend,
}: {
  option: ExplorerOption;
  label: string;
  lang: 'en' | 'zh';
  onLegend: (name: string, shown: boolean) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const legendRef = useRef(onLegend);
  legendRef.current = onLegend;
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    const div = el.current;
    if (div === null) return;
    const instance = echarts.init(div, null, { renderer: 'canvas', locale: lang === 'zh' ? 'ZH' : 'EN' });
    chart.current = instance;
    // A new instance (language switch) starts from the current picture, not a blank one.
    instance.setOption(optionRef.current);
    instance.on('legendselectchanged', (e) => {
      const ev = e as { name: string; selected: Record<string, boolean> };
      legendRef.current(ev.name, ev.selected[ev.name] ?? true);
    });
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [lang]);

  useEffect(() => {
    // replaceMerge: series and axes that left the selection disappear instead of lingering;
    // the zoom is kept, so toggling a series does not throw away where the user zoomed to.
    chart.current?.setOption(option, { replaceMerge: ['series', 'yAxis'], lazyUpdate: true });
  }, [option]);

  return (
    <div ref={el} className="explorer-chart" data-testid="explorer-chart" role="img" aria-label={label} />
  );
}
