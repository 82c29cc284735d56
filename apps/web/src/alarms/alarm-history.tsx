import { useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';
import { formatDateTime } from '../format/format.js';
import { alarmHistory, type HistoryEntry } from './alarms-api.js';
import { actionErrorText } from './http.js';

const KIND_TEXT: Record<string, string> = {
  raised: 'Raised',
  cleared: 'Cleared',
  acknowledged: 'Acknowledged',
  shelved: 'Shelved',
  unshelved: 'Unshelved',
  commented: 'Comment',
  'removed-from-service': 'Out of service',
  'returned-to-service': 'Back in service',
  deleted: 'Rule deleted',
};

/** What happened to alarms, newest first, a page of 100 at a time. */
export function AlarmHistory() {
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
        if (!isAbort(err)) setError(actionErrorText(err, 'load the alarm history'));
      },
    );
    return () => abort.abort();
  }, [cursor]);

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
            <th>When</th>
            <th>What</th>
            <th>Point</th>
            <th>By</th>
            <th>Comment</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{formatDateTime(e.at)}</td>
              <td>
                {KIND_TEXT[e.kind] ?? e.kind}
                {e.event.until !== undefined ? ` until ${formatDateTime(e.event.until)}` : ''}
              </td>
              <td className="mono">{e.point}</td>
              <td>{e.event.by ?? ''}</td>
              <td>{e.event.comment ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && error === undefined ? <p className="hint">Nothing has happened yet.</p> : null}
      {next !== undefined ? (
        <button type="button" onClick={() => setCursor(next)}>
          Older…
        </button>
      ) : null}
    </section>
  );
}
