import { Suspense, lazy, useMemo } from 'react';
import type { PointWithLatest } from '../api/types.js';
import { useNow } from '../app/now.js';
import { RANGES, type RangeKey } from '../app/view-state.js';
import { formatNumber, formatValue, pointLabel, unitOf } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { buildTrendOption, type TrendSeries } from './chart-options.js';
import { useTrendData } from './use-trend-data.js';

// ECharts is most of the bundle: load it beside the point list rather than before it.
const TrendChart = lazy(async () => ({ default: (await import('./trend-chart.js')).TrendChart }));

interface Props {
  points: ReadonlyMap<string, PointWithLatest>;
  selected: readonly string[];
  colors: ReadonlyMap<string, string>;
  range: RangeKey;
  resyncKey: number;
  onRange: (range: RangeKey) => void;
  onRemove: (id: string) => void;
  onClear: () => void;
}

/** The trend of the selected points over a moving window that ends now. */
export function TrendPanel({
  points,
  selected,
  colors,
  range,
  resyncKey,
  onRange,
  onRemove,
  onClear,
}: Props) {
  const { t, lang, locale } = useI18n();
  const rangeMs = RANGES.find((r) => r.key === range)?.ms ?? 3_600_000;
  const data = useTrendData(selected, rangeMs, resyncKey);
  const now = useNow();
  const window = { from: now - rangeMs, to: now };

  const series: TrendSeries[] = selected.flatMap((id) => {
    const p = points.get(id);
    const buf = data.buffers.get(id);
    if (buf === undefined) return [];
    buf.trimBefore(window.from);
    const label = p !== undefined ? pointLabel(p) : id;
    const unit = p !== undefined ? unitOf(p) : undefined;
    return [
      {
        id,
        label: unit !== undefined ? `${label} (${unit})` : label,
        unit,
        isState: p?.dataType === 'bool',
        color: colors.get(id) ?? '#ccc',
        data: buf.toPlot(),
      },
    ];
  });

  const format = useMemo(() => {
    return (id: string, v: number): string => {
      const p = points.get(id);
      if (p?.dataType === 'bool') return formatValue(v >= 0.5, p, t);
      const unit = p !== undefined ? unitOf(p) : undefined;
      return unit !== undefined ? `${formatNumber(v)} ${unit}` : formatNumber(v);
    };
  }, [points, t]);

  // Rebuilt on every tick (the window moves) and whenever history lands.
  const option = buildTrendOption(series, window, format, locale);
  const label = t('trend.label', {
    names: series.map((s) => s.label).join(', ') || t('trend.noPoints'),
    range: t(`range.${range}`),
  });

  return (
    <section className="panel trend-panel" aria-label={t('trend.panel')} data-revision={data.revision}>
      <div className="trend-toolbar">
        <div className="chips" aria-label={t('trend.chips')}>
          {selected.length === 0 ? <span className="hint">{t('trend.selectHint')}</span> : null}
          {selected.map((id) => {
            const p = points.get(id);
            return (
              <span key={id} className="chip" style={{ borderColor: colors.get(id) }}>
                <span className="dot" style={{ background: colors.get(id) }} />
                {p !== undefined ? pointLabel(p) : id}
                <button
                  type="button"
                  aria-label={t('trend.remove', { name: p !== undefined ? pointLabel(p) : id })}
                  onClick={() => onRemove(id)}
                >
                  ×
                </button>
              </span>
            );
          })}
          {selected.length > 1 ? (
            <button type="button" className="link" onClick={onClear}>
              {t('trend.clear')}
            </button>
          ) : null}
        </div>
        <div className="segmented" role="radiogroup" aria-label={t('trend.range')}>
          {RANGES.map((r) => (
            <button
              key={r.key}
              type="button"
              role="radio"
              aria-checked={r.key === range}
              className={r.key === range ? 'is-active' : ''}
              data-testid={`range-${r.key}`}
              onClick={() => onRange(r.key)}
            >
              {t(`range.${r.key}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="trend-body">
        <Suspense
          fallback={
            selected.length > 0 ? (
              <div className="overlay" role="status" aria-busy="true">
                {t('trend.loadingChart')}
              </div>
            ) : null
          }
        >
          <TrendChart option={option} label={label} lang={lang} />
        </Suspense>
        {selected.length === 0 ? (
          <div className="overlay">
            <p>{t('trend.clickHint')}</p>
            <p className="hint">{t('trend.compareHint')}</p>
          </div>
        ) : data.loading ? (
          <div className="overlay is-faint" role="status">
            {t('trend.loadingHistory')}
          </div>
        ) : null}
      </div>
      {data.error !== undefined ? (
        <p className="trend-error" role="alert">
          {t('trend.error', { failed: data.error.failed, of: data.error.of, reason: data.error.reason })}
        </p>
      ) : null}
    </section>
  );
}
