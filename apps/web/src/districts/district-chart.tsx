import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { DistrictOption } from './district-chart-option.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/**
 * One district chart: an ECharts instance bound to a div, made anew on a language switch
 * (ECharts takes its locale only at init), resized with its box, disposed on unmount.
 */
export function DistrictChart({
  option,
  label,
  lang,
  testId,
}: {
  option: DistrictOption;
  label: string;
  lang: 'en' | 'zh';
  testId: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    const div = el.current;
    if (div === null) return;
    const instance = echarts.init(div, null, { renderer: 'canvas', locale: lang === 'zh' ? 'ZH' : 'EN' });
    chart.current = instance;
    instance.setOption(optionRef.current);
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [lang]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  return <div ref={el} className="district-chart" data-testid={testId} role="img" aria-label={label} />;
}
