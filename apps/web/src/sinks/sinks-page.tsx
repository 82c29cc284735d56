import { useEffect, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { usePoll } from '../fleet/use-poll.js';
import { useI18n } from '../i18n/i18n-context.js';
import { isSinkType } from './sink-fields.js';
import { SinkForm } from './sink-form.js';
import { addReadings, rateText, ratesBetween, statusOf, successSeries, type Snapshot } from './sink-logic.js';
import { deleteSink, listSinks, setSinkEnabled, testSavedSink, type SinkView } from './sinks-api.js';
import { Sparkline } from './sparkline.js';
import '../alarms/alarms.css';
import '../rules/rules.css';
import './sinks.css';

/** Counters move; the list is read this often while the page is open (rates come from two reads). */
const POLL_MS = 3000;

/**
 * Data integration (issue 5): every sink with its type, health, row rates and last error; sinks
 * made here can be created, edited, enabled, disabled, tested and deleted (engineers), those of
 * the server's config file only looked at and tested.
 */
export function SinksPage() {
  const { t, formatNumber } = useI18n();
  const polled = usePoll((signal) => listSinks(signal), POLL_MS, 'sinks');
  const [history, setHistory] = useState<ReadonlyMap<string, readonly Snapshot[]>>(new Map());
  const [editing, setEditing] = useState<SinkView | 'new'>();
  const [confirming, setConfirming] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<string>();
  const sinks = polled.data ?? [];

  useEffect(() => {
    if (polled.data) setHistory((h) => addReadings(h, polled.data!, Date.now()));
  }, [polled.data]);

  /** Runs a row action, reporting its failure in words; reloads the list after it. */
  const act = async (id: string, what: string, run: () => Promise<string | undefined>): Promise<void> => {
    setNotice(undefined);
    setBusy(id);
    try {
      const text = await run();
      if (text !== undefined) setNotice({ ok: true, text });
    } catch (err) {
      setNotice({ ok: false, text: actionErrorText(err, what, 'engineer', t) });
    } finally {
      setBusy(undefined);
      polled.reload();
    }
  };

  const toggle = (s: SinkView) =>
    act(s.id, t(s.enabled ? 'sinks.do.disable' : 'sinks.do.enable', { id: s.id }), async () => {
      await setSinkEnabled(s.id, !s.enabled);
      return undefined;
    });

  const remove = (s: SinkView) =>
    act(s.id, t('sinks.do.delete', { id: s.id }), async () => {
      setConfirming(undefined);
      const { discarded } = await deleteSink(s.id);
      if (editing !== 'new' && editing?.id === s.id) setEditing(undefined);
      return discarded > 0
        ? t('sinks.deletedDiscarded', { id: s.id, count: discarded })
        : t('sinks.deleted', { id: s.id });
    });

  const test = (s: SinkView) => {
    setNotice(undefined);
    setBusy(s.id);
    testSavedSink(s.id)
      .then((r) =>
        setNotice({
          ok: r.ok,
          text: r.ok
            ? t('sinks.test.ok', { id: s.id, ms: Math.round(r.ms), detail: r.detail })
            : t('sinks.test.fail', { id: s.id, detail: r.detail }),
        }),
      )
      .catch((err: unknown) =>
        setNotice({ ok: false, text: actionErrorText(err, t('sinks.do.test', { id: s.id }), 'engineer', t) }),
      )
      .finally(() => setBusy(undefined));
  };

  return (
    <main className="sinks-page" data-testid="sinks-page">
      <div className="sinks-bar">
        <h2>{t('sinks.title')}</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('sinks.new')}
        </button>
        <span className="muted">
          {polled.data ? t('sinks.count', { count: sinks.length }) : t('sinks.loading')}
        </span>
      </div>
      {polled.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {actionErrorText(polled.error, t('sinks.do.load'), undefined, t)}
        </p>
      ) : null}
      {notice ? (
        <p
          className={notice.ok ? 'sink-test-ok' : 'alarm-error'}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="sinks-notice"
        >
          {notice.text}
        </p>
      ) : null}
      {editing !== undefined ? (
        <SinkForm
          key={editing === 'new' ? 'new' : editing.id}
          sink={editing === 'new' ? undefined : editing}
          onSaved={(saved) => {
            setEditing(saved);
            polled.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      <table className="alarm-table sinks-table">
        <thead>
          <tr>
            <th>{t('sinks.col.sink')}</th>
            <th>{t('sinks.col.type')}</th>
            <th>{t('sinks.col.status')}</th>
            <th>{t('sinks.col.rates')}</th>
            <th className="num">{t('sinks.col.counts')}</th>
            <th>{t('sinks.col.lastError')}</th>
            <th>{t('sinks.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sinks.map((s) => {
            const readings = history.get(s.id) ?? [];
            const rate = ratesBetween(readings.at(-2), readings.at(-1) ?? { at: 0, m: s.metrics });
            const status = statusOf(s);
            const m = s.metrics;
            const fromFile = s.origin === 'file';
            return (
              <tr
                key={s.id}
                data-testid="sink-row"
                className={editing !== 'new' && editing?.id === s.id ? 'is-open' : ''}
              >
                <td>
                  <button type="button" className="link" onClick={() => setEditing(s)}>
                    {s.id}
                  </button>
                  {fromFile ? (
                    <span className="sink-origin" title={t('sinks.origin.fileHint')}>
                      {t('sinks.origin.file')}
                    </span>
                  ) : null}
                  {s.rules.length > 0 ? (
                    <div className="muted">{t('sinks.rules', { rules: s.rules.join(', ') })}</div>
                  ) : null}
                </td>
                <td>{isSinkType(s.type) ? t(`sinks.type.${s.type}`) : s.type}</td>
                <td className={`sink-status-${status}`} data-testid="sink-status">
                  {t(`sinks.state.${status}`)}
                  {s.health.alarm ? <div className="alarm-error">{t('sinks.alarm')}</div> : null}
                  {s.enabled && !s.health.alarm && s.health.failures > 0 ? (
                    <div className="muted">{t('sinks.retrying', { count: s.health.failures })}</div>
                  ) : null}
                </td>
                <td>
                  <span className="muted">
                    {t('sinks.rate.in')} <b>{rateText(rate.matched)}</b> · {t('sinks.rate.out')}{' '}
                    <b>{rateText(rate.success)}</b>
                  </span>
                  <Sparkline values={successSeries(readings)} />
                </td>
                <td className="num mono">
                  {formatNumber(m.matched)} · {formatNumber(m.success)} ·{' '}
                  <span className={m.failed > 0 ? 'alarm-error' : ''}>{formatNumber(m.failed)}</span> ·{' '}
                  <span className={m.dropped > 0 ? 'alarm-error' : ''}>{formatNumber(m.dropped)}</span> ·{' '}
                  {formatNumber(m.queued + m.inflight)}
                  {m.queuedDisk > 0 ? (
                    <div className="muted">{t('sinks.queue.disk', { rows: formatNumber(m.queuedDisk) })}</div>
                  ) : null}
                </td>
                <td className="sink-error">{s.health.lastError ?? ''}</td>
                <td>
                  {confirming === s.id ? (
                    <div
                      className="sink-actions"
                      role="alertdialog"
                      aria-label={t('sinks.confirmDelete', { id: s.id })}
                    >
                      <span>{t('sinks.confirmDelete', { id: s.id })}</span>
                      <button type="button" className="danger" onClick={() => void remove(s)}>
                        {t('sinks.confirm')}
                      </button>
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        {t('sinks.cancel')}
                      </button>
                    </div>
                  ) : (
                    <div className="sink-actions">
                      {!fromFile ? (
                        <>
                          <button type="button" onClick={() => setEditing(s)}>
                            {t('sinks.action.edit')}
                          </button>
                          <button type="button" disabled={busy === s.id} onClick={() => void toggle(s)}>
                            {t(s.enabled ? 'sinks.action.disable' : 'sinks.action.enable')}
                          </button>
                        </>
                      ) : null}
                      <button type="button" disabled={busy === s.id} onClick={() => test(s)}>
                        {t('sinks.action.test')}
                      </button>
                      {!fromFile ? (
                        <button type="button" onClick={() => setConfirming(s.id)}>
                          {t('sinks.action.delete')}
                        </button>
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {polled.data && sinks.length === 0 ? <p className="hint">{t('sinks.empty')}</p> : null}
    </main>
  );
}
