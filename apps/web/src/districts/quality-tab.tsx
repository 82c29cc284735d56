import { Fragment, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { usePoll } from '../fleet/use-poll.js';
import { qualityReport } from './districts-api.js';
import { complianceBand, formatPct, limitText } from './districts-logic.js';
import type { Excursion, QualityCompliance } from './districts-types.js';
import type { Translate } from '../i18n/translate.js';

/**
 * GB 5749-2022 compliance of every mapped quality point over the range: the share of time
 * inside the limits (a bar), how much of the range was measured, the worst value, and each
 * excursion when a row is opened. Quality is installation-wide, not per district.
 */
export function QualityTab({ range }: { range: { from: number; to: number } }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState<string | undefined>();
  const report = usePoll((signal) => qualityReport(range, signal), 5 * 60_000, `${range.from}`);
  const data = report.data;
  if (report.error !== undefined && data === undefined)
    return (
      <p className="error">{actionErrorText(report.error, t('districts.quality.loading'), undefined, t)}</p>
    );
  if (data === undefined)
    return (
      <p className="hint" role="status">
        {t('districts.quality.loading')}
      </p>
    );
  if (data.items.length === 0) return <p className="hint">{t('districts.quality.none')}</p>;
  const sources = [...new Set(data.items.flatMap((i) => i.sources))];
  return (
    <div className="quality-tab">
      <p className="hint">
        {t('districts.quality.sources', { sources: sources.join('; ') || data.standard })}
      </p>
      <table className="quality-table" data-testid="quality-table">
        <thead>
          <tr>
            <th>{t('districts.quality.col.point')}</th>
            <th>{t('districts.quality.col.parameter')}</th>
            <th>{t('districts.quality.col.limit')}</th>
            <th>{t('districts.quality.col.compliance')}</th>
            <th className="num">{t('districts.quality.col.coverage')}</th>
            <th className="num">{t('districts.quality.col.worst')}</th>
            <th className="num">{t('districts.quality.col.excursions')}</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((q) => {
            const id = `${q.point}:${q.parameter}`;
            const band = complianceBand(q.compliancePct);
            return (
              <Fragment key={id}>
                <tr
                  className={q.excursions.length > 0 ? 'expandable' : undefined}
                  onClick={() => setOpen(open === id ? undefined : id)}
                  aria-expanded={q.excursions.length > 0 ? open === id : undefined}
                >
                  <td title={q.point}>{q.point}</td>
                  <td>
                    {t(`districts.quality.param.${q.parameter}`)}
                    <div className="muted">{t(`districts.quality.role.${q.role}`)}</div>
                  </td>
                  <td>{limitText(q)}</td>
                  <td>
                    <div className={`compliance-bar band-${band}`} title={formatPct(q.compliancePct, locale)}>
                      <span style={{ width: `${q.compliancePct ?? 0}%` }} />
                    </div>
                    {formatPct(q.compliancePct, locale)}
                  </td>
                  <td className="num">{formatPct(q.coveragePct, locale)}</td>
                  <td className="num">{q.worst === null ? '—' : `${q.worst.value} ${q.unit}`}</td>
                  <td className="num">{q.excursions.length}</td>
                </tr>
                {open === id
                  ? q.excursions.map((e) => (
                      <tr key={`${id}:${e.start}`} className="excursion">
                        <td colSpan={7}>{excursionText(e, q, t, locale)}</td>
                      </tr>
                    ))
                  : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function excursionText(e: Excursion, q: QualityCompliance, t: Translate, locale: string): string {
  const side = t(e.side === 'high' ? 'districts.quality.high' : 'districts.quality.low');
  const peak = `${e.peak.value} ${q.unit}`.trim();
  const start = formatDateTime(e.start, locale);
  if (e.open) return t('districts.quality.excursionOpen', { side, start, peak });
  const minutes = Math.max(1, Math.round(e.durationMs / 60_000));
  return t('districts.quality.excursion', { side, start, peak, duration: `${minutes} min` });
}
