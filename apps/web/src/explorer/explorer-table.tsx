import { useMemo, useState } from 'react';
import type { Point } from '@watershed/model';
import { formatDateTime, formatValue } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { tableRows, type ExplorerSeries, type Row } from './explorer-data.js';

/** Rows rendered per step: a month of minutes is 43 200 lines, far more than a page should hold. */
const PAGE_ROWS = 500;

/**
 * The same data as the chart, one line per instant and a column per point. A bucket shows its
 * mean with min and max beneath; bad and uncertain values carry a badge (and the reason or the
 * bucket's counts on hover), so they are as visible here as on the chart.
 */
export function ExplorerTable({
  series,
  points,
  labels,
  colors,
}: {
  series: readonly ExplorerSeries[];
  points: ReadonlyMap<string, Point>;
  labels: ReadonlyMap<string, string>;
  colors: ReadonlyMap<string, string>;
}) {
  const { t, locale } = useI18n();
  const rows = useMemo(() => tableRows(series), [series]);
  const [shown, setShown] = useState(PAGE_ROWS);
  const buckets = series.some((s) => s.resolution !== 'raw');

  const cell = (id: string, r: Row | undefined) => {
    if (r === undefined) return <td key={id} className="num" />;
    const p = points.get(id) ?? { quantity: undefined, dataType: undefined };
    const fmt = (v: number | null | undefined) => formatValue(v ?? null, p, t);
    const title =
      r.count !== undefined ? t('explorer.cell.samples', { count: r.count, bad: r.bad ?? 0 }) : r.reason;
    return (
      <td key={id} className={`num q-${r.quality}`} title={title}>
        {formatValue(r.value, p, t)}
        {r.quality !== 'good' ? (
          <span className={`badge badge-${r.quality}`}>{t(`explorer.q.${r.quality}`)}</span>
        ) : null}
        {r.min !== undefined && r.min !== null && typeof r.value === 'number' ? (
          <span className="explorer-minmax">
            {t('explorer.cell.range', { min: fmt(r.min), max: fmt(r.max) })}
          </span>
        ) : null}
      </td>
    );
  };

  return (
    <div className="explorer-table-wrap" data-testid="explorer-table">
      <table className="explorer-table">
        <thead>
          <tr>
            <th>{buckets ? t('explorer.col.bucket') : t('explorer.col.time')}</th>
            {series.map((s) => (
              <th key={s.id} className="num" style={{ borderTopColor: colors.get(s.id) }}>
                {labels.get(s.id) ?? s.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((line) => (
            <tr key={line.ts}>
              <td className="explorer-time">{formatDateTime(line.ts, locale)}</td>
              {series.map((s) => cell(s.id, line.cells.get(s.id)))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint explorer-table-foot">
        {t('explorer.table.rows', { shown: Math.min(shown, rows.length), total: rows.length })}
        {rows.length > shown ? (
          <>
            {' · '}
            <button type="button" className="link" onClick={() => setShown((n) => n + PAGE_ROWS)}>
              {t('explorer.table.more', { count: Math.min(PAGE_ROWS, rows.length - shown) })}
            </button>
          </>
        ) : null}
      </p>
    </div>
  );
}
