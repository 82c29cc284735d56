import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
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
  const { t, locale } = useI18n();
  const sorted = [...configs].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<number | undefined>(sorted[1]?.version);
  const [to, setTo] = useState<number | undefined>(sorted[0]?.version);
  const [confirm, setConfirm] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  // A new version (a push from the editor, a rollback) moves a diff that showed the newest one
  // on to it: "what did my push change" is the question then. Adjusted during render, the way
  // React derives state from props, so no frame shows the old pair.
  const newest = sorted[0]?.version;
  const [seen, setSeen] = useState(newest);
  if (newest !== seen) {
    setSeen(newest);
    if (to === undefined || to === seen) {
      setTo(newest);
      setFrom(seen ?? sorted[1]?.version);
    }
  }

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
          text: t('fleet.cfg.rolledBack', {
            version: String(version),
            pushed: String(r.version),
            outcome: t(`fleet.result.${r.outcome}`),
          }),
        });
        setConfirm(undefined);
        onChanged();
      })
      .catch((err: unknown) =>
        setMessage({ error: true, text: actionErrorText(err, t('fleet.do.rollback'), 'engineer', t) }),
      )
      .finally(() => setBusy(false));
  };

  if (sorted.length === 0) return <div className="config-versions muted">{t('fleet.cfg.none')}</div>;
  return (
    <div className="config-versions">
      <h4>{t('fleet.cfg.title')}</h4>
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('fleet.cfg.col.version')}</th>
            <th>{t('fleet.cfg.col.pushed')}</th>
            <th>{t('fleet.cfg.col.ack')}</th>
            <th>{t('fleet.cfg.col.diff')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={c.version} className={c.version === running ? 'is-running' : undefined}>
              <td className="num">
                v{c.version}
                {c.version === running ? t('fleet.cfg.running') : ''}
              </td>
              <td>
                {formatDateTime(c.createdAt, locale)}{' '}
                <span className="muted">{t('fleet.cfg.by', { name: c.author })}</span>
              </td>
              <td className={c.ack === undefined ? 'muted' : c.ack.ok ? 'ack-ok' : 'ack-refused'}>
                {c.ack === undefined
                  ? t('fleet.cfg.noAck')
                  : c.ack.ok
                    ? t('fleet.cfg.ok')
                    : c.ack.detail
                      ? t('fleet.cfg.refusedDetail', { detail: c.ack.detail })
                      : t('fleet.cfg.refused')}
              </td>
              <td>
                <input
                  type="radio"
                  name={`from-${gatewayId}`}
                  aria-label={t('fleet.cfg.diffFrom', { version: String(c.version) })}
                  checked={from === c.version}
                  onChange={() => setFrom(c.version)}
                />
                <input
                  type="radio"
                  name={`to-${gatewayId}`}
                  aria-label={t('fleet.cfg.diffTo', { version: String(c.version) })}
                  checked={to === c.version}
                  onChange={() => setTo(c.version)}
                />
              </td>
              <td>
                {c.version !== running ? (
                  <button type="button" disabled={busy} onClick={() => setConfirm(c.version)}>
                    {t('fleet.cfg.rollbackOpen')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label={t('fleet.cfg.confirmLabel')}>
          <p>{t('fleet.cfg.confirmText', { version: String(confirm) })}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => doRollback(confirm)}>
            {t('fleet.cfg.rollbackTo', { version: String(confirm) })}
          </button>
          <button type="button" onClick={() => setConfirm(undefined)}>
            {t('fleet.cancel')}
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
          <h4>{t('fleet.cfg.changes', { from: String(from), to: String(to) })}</h4>
          {diff.error !== undefined ? (
            <p className="alarm-error">{actionErrorText(diff.error, t('fleet.do.diff'), undefined, t)}</p>
          ) : null}
          {diff.data !== undefined && rows.length === 0 ? (
            <p className="muted">{t('fleet.cfg.same')}</p>
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
        <p className="muted">{t('fleet.cfg.pickTwo')}</p>
      )}
    </div>
  );
}
