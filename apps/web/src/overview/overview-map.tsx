import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LinesChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useServices } from '../app/services.js';
import { formatValue } from '../format/format.js';
import { useT } from '../i18n/i18n-context.js';
import { mapOption, type SiteDatum } from './map-option.js';
import type { SiteState } from './overview-logic.js';
import type { OverviewMap, SiteSummary } from './overview-types.js';

echarts.use([LinesChart, ScatterChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

interface Props {
  map: OverviewMap;
  states: ReadonlyMap<string, SiteState>;
  sites: ReadonlyMap<string, SiteSummary>;
  label: (key: string) => string;
  onOpenSite: (site: string) => void;
}

/**
 * The network drawn on a canvas (no WebGL, no tiles): created on mount, redrawn when the map, the
 * box or a site's state changes, disposed on unmount. Hovering a site shows its key values as the
 * live stream has them at that moment; clicking opens it.
 */
export function OverviewMapView({ map, states, sites, label, onOpenSite }: Props) {
  const t = useT();
  const { store } = useServices();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  // Handlers read the latest props through refs: the chart is created once.
  const latest = useRef({ sites, onOpenSite, t });
  latest.current = { sites, onOpenSite, t };

  useEffect(() => {
    const div = el.current;
    if (div === null) return;
    const instance = echarts.init(div, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (e) => {
      const d = e.data as SiteDatum | undefined;
      if (d?.site !== undefined) latest.current.onOpenSite(d.site);
    });
    const resize = new ResizeObserver(() => {
      instance.resize();
      setSize({ width: div.clientWidth, height: div.clientHeight });
    });
    resize.observe(div);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || size.width === 0) return;
    const option = mapOption(map, size, states, label);
    option.tooltip = {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const d = (Array.isArray(p) ? p[0] : p)?.data as SiteDatum | undefined;
        if (d?.key === undefined) return '';
        const s = latest.current.sites.get(d.key);
        const rows = (s?.keyPoints ?? []).map((k) => {
          const sample = store.latest(k.id);
          const tag = k.id.split('.').pop() ?? k.id;
          const v = formatValue(sample?.value, { quantity: k.quantity as never }, latest.current.t);
          return `${escape(tag)}: <b>${escape(v)}</b> ${escape(k.unit ?? '')}`;
        });
        return [`<b>${escape(d.name)}</b>`, ...rows].join('<br/>');
      },
    };
    // Zoom and pan survive a redraw: only the series and their colours are replaced.
    instance.setOption(option, { lazyUpdate: true, replaceMerge: ['series'] });
  }, [map, size, states, label, store]);

  return (
    <div
      ref={el}
      className="overview-map"
      data-testid="overview-map"
      role="img"
      aria-label={t('overview.map.label')}
    />
  );
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
