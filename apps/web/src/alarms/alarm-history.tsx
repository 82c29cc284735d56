import { useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { tOr } from '../i18n/translate.js';
import { alarmHistory, type HistoryEntry } from './alarms-api.js';
import { actionErrorText } from './http.js';

/** What happened to alarms, newest first, a page of 100 at a time. */
export function AlarmHistory() {
  const { t, locale } = useI18n();
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [next, setNext] = useState<string>();
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const abort = new AbortController();
    alarmHistory({ limit: 100, ...(cursor !== undefined && { cursor }) }, abort.signal).then(
      (page) => {
        setEntries((old) => (cursor === undefined ? page.entries : [...old, ...page.entries]));
        setNext(page.next);
        setError(undefined);
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(actionErrorText(err, t('alarms.do.history'), undefined, t));
      },
    );
    return () => abort.abort();
  }, [cursor, t]);

  return (
    <section className="alarm-history" data-testid="alarm-history">
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('history.col.when')}</th>
            <th>{t('history.col.what')}</th>
            <th>{t('history.col.point')}</th>
            <th>{t('history.col.by')}</th>
            <th>{t('history.col.comment')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{formatDateTime(e.at, locale)}</td>
              <td>
                {
                  // A kind the server added after this page was written shows as it is named.
                  tOr(t, `history.kind.${e.kind}`, e.kind)
                }
                {e.event.until !== undefined
                  ? t('history.until', { time: formatDateTime(e.event.until, locale) })
                  : ''}
              </td>
              <td className="mono">{e.point}</td>
              <td>{e.event.by ?? ''}</td>
              <td>{e.event.comment ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && error === undefined ? <p className="hint">{t('history.empty')}</p> : null}
      {next !== undefined ? (
        <button type="button" onClick={() => setCursor(next)}>
          {t('history.older')}
        </button>
      ) : null}
    </section>
  );
}
