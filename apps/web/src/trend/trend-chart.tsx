import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { TrendOption } from './chart-options.js';

// Only what the trend uses, so the bundle carries a line chart, not all of ECharts.
echarts.use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

/**
 * An ECharts instance bound to a div: created on mount, resized with its box, disposed on unmount.
 * ECharts takes its locale (axis dates, built-in words) only at init, so a language switch makes
 * a new instance.
 */
export function TrendChart({
  option,
  label,
  lang,
}: {
  option: TrendOption;
  label: string;
  lang: 'en' | 'zh';
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const div = el.current;
    if (div === null) return;
    const instance = echarts.init(div, null, { renderer: 'canvas', locale: lang === 'zh' ? 'ZH' : 'EN' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [lang]);

  useEffect(() => {
    // replaceMerge: series and axes that left the selection disappear instead of lingering.
    chart.current?.setOption(option, { replaceMerge: ['series', 'yAxis'], lazyUpdate: true });
  }, [option]);

  return <div ref={el} className="trend-chart" data-testid="trend-chart" role="img" aria-label={label} />;
}
