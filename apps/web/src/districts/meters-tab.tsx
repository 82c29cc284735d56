import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { usePoll } from '../fleet/use-poll.js';
import { meterHealth } from './districts-api.js';
import { formatM3, formatPct, reasonText } from './districts-logic.js';
import type { MeterStatus } from './districts-types.js';

const PAGE = 50;
const STATUSES: readonly MeterStatus[] = ['fault', 'warn', 'ok'];

/** The district's meters, faults first, filtered by status, a page at a time. */
export function MetersTab({ district, range }: { district: string; range: { from: number; to: number } }) {
  const { t, locale, formatNumber } = useI18n();
  const [status, setStatus] = useState<MeterStatus | undefined>();
  const [offset, setOffset] = useState(0);
  const key = `${district}:${range.from}:${status ?? ''}:${offset}`;
  const page = usePoll(
    (signal) => meterHealth(district, { ...range, ...(status && { status }), offset, limit: PAGE }, signal),
    5 * 60_000,
    key,
  );
  const data = page.data;
  const choose = (s: MeterStatus | undefined) => {
    setStatus(s);
    setOffset(0);
  };
  return (
    <div className="meters-tab">
      <div className="chips" role="group" aria-label={t('districts.meters.col.status')}>
        <button type="button" aria-pressed={status === undefined} onClick={() => choose(undefined)}>
          {t('districts.meters.all')}
          {data ? ` ${formatNumber(data.counts.ok + data.counts.warn + data.counts.fault)}` : ''}
        </button>
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip-${s}`}
            aria-pressed={status === s}
            data-testid={`meter-filter-${s}`}
            onClick={() => choose(s)}
          >
            {t(`districts.meters.status.${s}`)}
            {data ? ` ${formatNumber(data.counts[s])}` : ''}
          </button>
        ))}
      </div>
      {page.error !== undefined ? (
        <p className="error">{actionErrorText(page.error, t('districts.meters.loading'), undefined, t)}</p>
      ) : null}
      {data === undefined ? (
        <p className="hint" role="status">
          {t('districts.meters.loading')}
        </p>
      ) : data.items.length === 0 ? (
        <p className="hint">{t('districts.meters.none')}</p>
      ) : (
        <>
          <table className="meters-table" data-testid="meters-table">
            <thead>
              <tr>
                <th>{t('districts.meters.col.meter')}</th>
                <th>{t('districts.meters.col.status')}</th>
                <th className="num">{t('districts.meters.col.completeness')}</th>
                <th className="num">{t('districts.meters.col.last')}</th>
                <th className="num">{t('districts.meters.col.consumption')}</th>
                <th>{t('districts.meters.col.problems')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.point} className={`meter-${m.status}`}>
                  <td title={m.point}>{m.id}</td>
                  <td>
                    <span className={`badge status-${m.status}`}>
                      {t(`districts.meters.status.${m.status}`)}
                    </span>
                  </td>
                  <td className="num">{formatPct(m.completenessPct, locale)}</td>
                  <td className="num">
                    {m.lastReadingAgeMs === null
                      ? t('districts.meters.never')
                      : formatAge(m.lastReadingAgeMs, t)}
                  </td>
                  <td className="num">{formatM3(m.consumptionM3, locale)}</td>
                  <td>{m.reasons.map((r) => reasonText(r, t)).join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <span>
              {t('districts.meters.page', {
                from: data.offset + 1,
                to: data.offset + data.items.length,
                total: data.total,
              })}
            </span>
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              {t('districts.meters.prev')}
            </button>
            <button
              type="button"
              disabled={data.offset + data.items.length >= data.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              {t('districts.meters.next')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
