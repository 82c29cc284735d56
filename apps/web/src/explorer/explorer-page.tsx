import { Suspense, lazy, useCallback, useMemo, useRef, useState } from 'react';
import type { Point } from '@watershed/model';
import { actionErrorText } from '../alarms/http.js';
import { MAX_COMPARE } from '../app/view-state.js';
import { formatValue, unitOf } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { assignColors } from '../trend/colors.js';
import { serverExportUrl } from './explorer-api.js';
import { buildExplorerOption, type ChartSeries } from './explorer-chart-option.js';
import { csvChunks, csvFileName } from './explorer-csv.js';
import { rowsOf } from './explorer-data.js';
import { isStatePoint, seriesLabels } from './explorer-points.js';
import { autoResolution, resolveWindow, togglePoint } from './explorer-state.js';
import { ExplorerTable } from './explorer-table.js';
import { ExplorerToolbar } from './explorer-toolbar.js';
import { download } from './download.js';
import { PointPicker } from './point-picker.js';
import { useExplorerData } from './use-explorer-data.js';
import { useExplorerState } from './use-explorer-state.js';
import '../alarms/alarms.css';
import './explorer.css';

// ECharts is most of the bundle: it loads with the page that draws it.
const ExplorerChart = lazy(async () => ({ default: (await import('./explorer-chart.js')).ExplorerChart }));

/**
 * The data explorer: the history of up to MAX_COMPARE points over any range, at a chosen
 * resolution, as a chart or a table, exported as CSV. Everything on screen is in the URL.
 */
export function ExplorerPage({ points }: { points: readonly Point[] }) {
  const { t, lang, locale } = useI18n();
  const [state, setState] = useExplorerState();
  // A preset ends at this instant, fixed until Refresh (or another preset): a window that slid
  // with every render would refetch without end.
  const [anchor, setAnchor] = useState(() => Date.now());
  const span = useMemo(() => resolveWindow(state.range, anchor), [state.range, anchor]);
  const auto = autoResolution(span.to - span.from);
  const resolution = state.resolution ?? auto;
  const data = useExplorerData(state.points, span, resolution, anchor);

  const byId = useMemo(() => new Map(points.map((p) => [p.id, p])), [points]);
  const selectedPoints = useMemo(
    () => state.points.map((id) => byId.get(id) ?? { id, site: '', node: '', group: '', tag: id }),
    [state.points, byId],
  );
  const labels = useMemo(() => seriesLabels(selectedPoints), [selectedPoints]);
  // A series keeps its colour while it stays selected (as on the plant page's trend).
  const colorsRef = useRef<ReadonlyMap<string, string>>(new Map());
  const colors = useMemo(
    () => (colorsRef.current = assignColors(colorsRef.current, state.points)),
    [state.points],
  );
  const hidden = useMemo(() => new Set(state.hidden), [state.hidden]);

  const option = useMemo(() => {
    const chartSeries: ChartSeries[] = data.series.map((s) => {
      const p = byId.get(s.id);
      return {
        id: s.id,
        label: labels.get(s.id) ?? s.id,
        unit: p !== undefined ? unitOf(p) : undefined,
        isState: p !== undefined && isStatePoint(p),
        color: colors.get(s.id) ?? '#ccc',
        rows: rowsOf(s),
      };
    });
    const format = (id: string, v: number): string => {
      const p = byId.get(id);
      if (p === undefined) return String(v);
      return formatValue(isStatePoint(p) ? v >= 0.5 : v, p, t);
    };
    return buildExplorerOption(chartSeries, span, hidden, {
      format,
      min: t('explorer.tt.min'),
      max: t('explorer.tt.max'),
      bad: t('explorer.q.bad'),
      uncertain: t('explorer.q.uncertain'),
      locale,
    });
  }, [data.series, byId, labels, colors, span, hidden, t, locale]);

  const onLegend = useCallback(
    (name: string, shown: boolean) => {
      const id = [...labels].find(([, l]) => l === name)?.[0];
      if (id === undefined) return;
      setState((s) => ({
        ...s,
        hidden: shown ? s.hidden.filter((h) => h !== id) : [...new Set([...s.hidden, id])],
      }));
    },
    [labels, setState],
  );

  const single = state.points.length === 1 ? state.points[0] : undefined;
  const serverUrl = single !== undefined ? serverExportUrl(single, { ...span, resolution }) : undefined;
  const onExport = (): void => {
    const name = csvFileName(state.points, resolution, span.from, span.to);
    if (serverUrl !== undefined) download(serverUrl, name);
    else download(new Blob([...csvChunks(data.series)], { type: 'text/csv;charset=utf-8' }), name);
  };

  const total = data.series.reduce(
    (n, s) => n + (s.resolution === 'raw' ? s.samples.length : s.rollups.length),
    0,
  );

  return (
    <main className="explorer-page" data-testid="explorer-page">
      <PointPicker
        points={points}
        selected={state.points}
        colors={colors}
        onToggle={(id) => setState((s) => togglePoint(s, id))}
        onClear={() => setState((s) => ({ ...s, points: [], hidden: [] }))}
      />
      <section className="explorer-main">
        <div className="explorer-head">
          <h2>{t('explorer.title')}</h2>
        </div>
        <ExplorerToolbar
          range={state.range}
          window={span}
          resolution={state.resolution}
          autoResolution={auto}
          view={state.view}
          canExport={serverUrl !== undefined || (data.series.length > 0 && !data.loading)}
          exportTitle={serverUrl !== undefined ? t('explorer.exportServer') : t('explorer.exportClient')}
          onRange={(range) => {
            setAnchor(Date.now());
            setState((s) => ({ ...s, range }));
          }}
          onResolution={(r) => setState((s) => ({ ...s, resolution: r }))}
          onView={(view) => setState((s) => ({ ...s, view }))}
          onRefresh={() => setAnchor(Date.now())}
          onExport={onExport}
        />
        {[...data.errors].map(([id, err]) => (
          <p key={id} className="alarm-error" role="alert">
            {actionErrorText(err, t('explorer.do.load', { name: labels.get(id) ?? id }), undefined, t)}
          </p>
        ))}
        {data.series
          .filter((s) => s.truncated)
          .map((s) => (
            <p key={s.id} className="explorer-warn" role="status">
              {t('explorer.truncated', {
                name: labels.get(s.id) ?? s.id,
                count: s.resolution === 'raw' ? s.samples.length : s.rollups.length,
              })}
            </p>
          ))}
        {state.points.length === 0 ? (
          <div className="state-page explorer-empty" data-testid="explorer-empty">
            <p>{t('explorer.empty')}</p>
            <p className="hint">{t('explorer.emptyHint', { max: MAX_COMPARE })}</p>
          </div>
        ) : (
          <div className="explorer-body" aria-busy={data.loading}>
            {data.loading ? (
              <div className="overlay" role="status">
                {t('explorer.loading')}
              </div>
            ) : null}
            {!data.loading && data.series.length > 0 && total === 0 ? (
              <p className="hint" data-testid="explorer-nodata">
                {t('explorer.noData')}
              </p>
            ) : null}
            {state.view === 'chart' ? (
              <>
                <Suspense fallback={<div className="explorer-chart" aria-busy="true" />}>
                  <ExplorerChart
                    option={option}
                    label={t('explorer.chartLabel')}
                    lang={lang}
                    onLegend={onLegend}
                  />
                </Suspense>
                <p className="hint explorer-key">
                  <span className="key-mark key-uncertain" aria-hidden="true">
                    ●
                  </span>{' '}
                  {t('explorer.legend.uncertain')}
                  {'  '}
                  <span className="key-mark key-bad" aria-hidden="true">
                    ▲
                  </span>{' '}
                  {t('explorer.legend.bad')}
                  {'  '}
                  <span className="key-band" aria-hidden="true" /> {t('explorer.legend.gap')}
                  {resolution !== 'raw' ? ` · ${t('explorer.resHint')}` : ''}
                </p>
              </>
            ) : (
              <ExplorerTable series={data.series} points={byId} labels={labels} colors={colors} />
            )}
          </div>
        )}
      </section>
    </main>
  );
}
