import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import type { PlantConfig } from './config-model.js';
import { pushStateClass, pushStateText, type PushState } from './config-text.js';
import { exportTagsCsv, importTagsCsv, type Gateway } from './fleet-api.js';
import { csvPreview, type CsvPreview } from './tags-csv-logic.js';

/**
 * The gateway's tag list as CSV, for editing in a spreadsheet: export downloads the newest
 * version's tags; import reads a file, previews what it changes against that version (added,
 * removed, changed tags; rows the server would refuse), and only then pushes it as a new version.
 */
export function TagsCsv({
  gateway,
  config,
  onPushed,
}: {
  gateway: Gateway;
  config: PlantConfig;
  onPushed: () => void;
}) {
  const t = useT();
  const [file, setFile] = useState<{ name: string; text: string; preview: CsvPreview }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [state, setState] = useState<PushState>();

  const download = (): void => {
    setError(undefined);
    exportTagsCsv(gateway.id)
      .then((csv) => {
        const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `${gateway.node}-tags.csv`;
        a.click();
        // The click has handed the blob to the download; the URL is no longer needed.
        setTimeout(() => URL.revokeObjectURL(url), 0);
      })
      .catch((err: unknown) => setError(actionErrorText(err, t('fleet.do.export'), undefined, t)));
  };

  return (
    <section className="tags-csv" data-testid="tags-csv" aria-label={t('fleet.csv.title')}>
      <h4>{t('fleet.csv.title')}</h4>
      <button type="button" onClick={download}>
        {t('fleet.csv.export')}
      </button>{' '}
      <label>
        {t('fleet.csv.import')}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const picked = e.target.files?.[0];
            setState(undefined);
            setError(undefined);
            if (!picked) return setFile(undefined);
            picked
              .text()
              .then((text) => setFile({ name: picked.name, text, preview: csvPreview(config, text) }))
              .catch((err: unknown) => setError(String(err)));
          }}
        />
      </label>
      {file !== undefined ? (
        <div className="csv-preview" data-testid="csv-preview">
          <p>
            {t('fleet.csv.summary', {
              file: file.name,
              rows: file.preview.rows,
              changes: file.preview.changes.length,
            })}
          </p>
          {file.preview.errors.length > 0 ? (
            <ul className="alarm-error" role="alert">
              {file.preview.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
          {file.preview.changes.length > 0 ? (
            <table className="alarm-table diff-table">
              <tbody>
                {file.preview.changes.map((c) => (
                  <tr key={`${c.device}.${c.group}.${c.tag}`} className={`diff-${c.kind}`}>
                    <td className="diff-mark">
                      {c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~'}
                    </td>
                    <td className="mono">
                      {c.device}.{c.group}.{c.tag}
                    </td>
                    <td>{c.fields?.join(', ') ?? t(`fleet.csv.${c.kind}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <button
            type="button"
            className="primary"
            disabled={busy || file.preview.errors.length > 0 || file.preview.changes.length === 0}
            onClick={() => {
              setBusy(true);
              setState({ kind: 'pending' });
              importTagsCsv(gateway.id, file.text)
                .then((result) => {
                  setState({ kind: 'done', result });
                  setFile(undefined);
                })
                .catch((err: unknown) =>
                  setState({
                    kind: 'failed',
                    error: actionErrorText(err, t('fleet.do.import'), 'engineer', t),
                  }),
                )
                .finally(() => {
                  setBusy(false);
                  onPushed();
                });
            }}
          >
            {t('fleet.csv.push')}
          </button>
        </div>
      ) : null}
      {state !== undefined ? (
        <p className={pushStateClass(state)} role="status">
          {pushStateText(state, t)}
        </p>
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
