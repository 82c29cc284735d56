import { useMemo, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { usePoll } from '../fleet/use-poll.js';
import { dataQuality } from './districts-api.js';
import { formatPct, sortDataQuality, type DataQualityKey } from './districts-logic.js';

const COLUMNS: readonly { key: DataQualityKey; label: MessageKey; num: boolean }[] = [
  { key: 'point', label: 'districts.dq.col.point', num: false },
  { key: 'score', label: 'districts.dq.col.score', num: true },
  { key: 'completenessPct', label: 'districts.dq.col.completeness', num: true },
  { key: 'gapCount', label: 'districts.dq.col.gaps', num: true },
  { key: 'stuckReadings', label: 'districts.dq.col.stuck', num: true },
  { key: 'spikeCount', label: 'districts.dq.col.spikes', num: true },
  { key: 'badPct', label: 'districts.dq.col.bad', num: true },
];

/** Data quality of a site's numeric points: worst scores first, any column sortable. */
export function DataQualityTab({
  sites,
  range,
}: {
  sites: readonly string[];
  range: { from: number; to: number };
}) {
  const { t, locale } = useI18n();
  const [site, setSite] = useState(sites[0]);
  const [sort, setSort] = useState<{ key: DataQualityKey; desc: boolean }>({ key: 'score', desc: false });
  const current = site !== undefined && sites.includes(site) ? site : sites[0];
  const page = usePoll(
    async (signal) =>
      current === undefined ? undefined : dataQuality(current, { ...range, offset: 0, limit: 200 }, signal),
    5 * 60_000,
    `${current ?? ''}:${range.from}`,
  );
  const rows = useMemo(
    () => (page.data ? sortDataQuality(page.data.items, sort.key, sort.desc) : []),
    [page.data, sort],
  );
  if (current === undefined) return <p className="hint">{t('districts.dq.noSites')}</p>;
  return (
    <div className="dq-tab">
      {sites.length > 1 ? (
        <label>
          {t('districts.dq.site')}{' '}
          <select value={current} onChange={(e) => setSite(e.target.value)}>
            {sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {page.error !== undefined ? (
        <p className="error">
          {actionErrorText(page.error, t('districts.dq.loading', { site: current }), undefined, t)}
        </p>
      ) : null}
      {page.data === undefined ? (
        <p className="hint" role="status">
          {t('districts.dq.loading', { site: current })}
        </p>
      ) : rows.length === 0 ? (
        <p className="hint">{t('districts.dq.none')}</p>
      ) : (
        <table className="dq-table" data-testid="dq-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={c.num ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
                >
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'score' }))
                    }
                  >
                    {t(c.label)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.point} title={r.issues.join('\n')}>
                <td>{r.point}</td>
                <td className={`num score-${r.score >= 90 ? 'good' : r.score >= 70 ? 'warn' : 'bad'}`}>
                  {r.score}
                </td>
                <td className="num">{formatPct(r.completenessPct, locale)}</td>
                <td className="num">{r.gapCount}</td>
                <td className="num">{r.stuckReadings}</td>
                <td className="num">{r.spikeCount}</td>
                <td className="num">{formatPct(r.badPct, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
