import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { configDiff, rollback, type ConfigSummary } from './fleet-api.js';
import { diffRows } from './fleet-logic.js';
import { usePoll } from './use-poll.js';

/** The config versions, newest first: pick two to diff, or roll back to one (after a confirm). */
export function ConfigVersions({
  gatewayId,
  configs,
  running,
  onChanged,
}: {
  gatewayId: string;
  configs: readonly ConfigSummary[];
  running: number | undefined;
  onChanged: () => void;
}) {
  const sorted = [...configs].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<number | undefined>(sorted[1]?.version);
  const [to, setTo] = useState<number | undefined>(sorted[0]?.version);
  const [confirm, setConfirm] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();

  const canDiff = from !== undefined && to !== undefined && from !== to;
  const diff = usePoll(
    async (signal) => (canDiff ? configDiff(gatewayId, from, to, signal) : undefined),
    3_600_000,
    `${gatewayId}:${from}:${to}`,
  );
  const rows = diff.data !== undefined ? diffRows(diff.data) : [];

  const doRollback = (version: number): void => {
    setBusy(true);
    setMessage(undefined);
    rollback(gatewayId, version)
      .then((r) => {
        setMessage({
          error: r.outcome === 'rejected' || r.outcome === 'timeout',
          text: `Rollback to v${version} pushed as v${r.version}: ${r.outcome}.`,
        });
        setConfirm(undefined);
        onChanged();
      })
      .catch((err: unknown) =>
        setMessage({ error: true, text: actionErrorText(err, 'roll back', 'engineer') }),
      )
      .finally(() => setBusy(false));
  };

  if (sorted.length === 0) return <div className="config-versions muted">No config pushed yet.</div>;
  return (
    <div className="config-versions">
      <h4>Config versions</h4>
      <table className="alarm-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Pushed</th>
            <th>Ack</th>
            <th>Diff from / to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={c.version} className={c.version === running ? 'is-running' : undefined}>
              <td className="num">
                v{c.version}
                {c.version === running ? ' (running)' : ''}
              </td>
              <td>
                {formatDateTime(c.createdAt)} <span className="muted">by {c.author}</span>
              </td>
              <td className={c.ack === undefined ? 'muted' : c.ack.ok ? 'ack-ok' : 'ack-refused'}>
                {c.ack === undefined
                  ? 'no ack'
                  : c.ack.ok
                    ? 'ok'
                    : `refused${c.ack.detail ? `: ${c.ack.detail}` : ''}`}
              </td>
              <td>
                <input
                  type="radio"
                  name={`from-${gatewayId}`}
                  aria-label={`diff from v${c.version}`}
                  checked={from === c.version}
                  onChange={() => setFrom(c.version)}
                />
                <input
                  type="radio"
                  name={`to-${gatewayId}`}
                  aria-label={`diff to v${c.version}`}
                  checked={to === c.version}
                  onChange={() => setTo(c.version)}
                />
              </td>
              <td>
                {c.version !== running ? (
                  <button type="button" disabled={busy} onClick={() => setConfirm(c.version)}>
                    Roll back…
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm rollback">
          <p>
            Push the config of v{confirm} to this gateway again, as a new version? The gateway applies it at
            once.
          </p>
          <button type="button" className="primary" disabled={busy} onClick={() => doRollback(confirm)}>
            Roll back to v{confirm}
          </button>
          <button type="button" onClick={() => setConfirm(undefined)}>
            Cancel
          </button>
        </div>
      ) : null}
      {message !== undefined ? (
        <p className={message.error ? 'alarm-error' : 'muted'} role="status">
          {message.text}
        </p>
      ) : null}
      {canDiff ? (
        <div className="config-diff" data-testid="config-diff">
          <h4>
            Changes from v{from} to v{to}
          </h4>
          {diff.error !== undefined ? (
            <p className="alarm-error">{actionErrorText(diff.error, 'diff the versions')}</p>
          ) : null}
          {diff.data !== undefined && rows.length === 0 ? (
            <p className="muted">The two versions are the same.</p>
          ) : null}
          {rows.length > 0 ? (
            <table className="alarm-table diff-table">
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}:${r.path}`} className={`diff-${r.kind}`}>
                    <td className="diff-mark">
                      {r.kind === 'added' ? '+' : r.kind === 'removed' ? '−' : '~'}
                    </td>
                    <td className="mono">{r.path}</td>
                    <td className="mono">
                      {r.kind === 'changed' ? (
                        <>
                          <del>{r.from}</del> → <ins>{r.to}</ins>
                        </>
                      ) : r.kind === 'added' ? (
                        <ins>{r.to}</ins>
                      ) : (
                        <del>{r.from}</del>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : (
        <p className="muted">Pick two different versions to see what changed.</p>
      )}
    </div>
  );
}
