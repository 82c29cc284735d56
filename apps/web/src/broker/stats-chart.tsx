import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useT } from '../i18n/i18n-context.js';
import type { StatsOption } from './stats-chart-option.js';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** The broker's rate chart: created on mount, resized with its box, disposed on unmount. */
export function StatsChart({ option }: { option: StatsOption }) {
  const t = useT();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const div = el.current;
    if (div === null) return;
    const instance = echarts.init(div, null, { renderer: 'canvas' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { lazyUpdate: true });
  }, [option]);

  return (
    <div
      ref={el}
      className="broker-chart"
      data-testid="broker-chart"
      role="img"
      aria-label={t('broker.chart.label')}
    />
  );
}
