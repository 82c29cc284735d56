import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';
import { actionErrorText, HttpError } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { rateText, type RuleView } from './rule-logic.js';
import { RuleEditor } from './rule-editor.js';
import { listRules, setRuleEnabled } from './rules-api.js';
import '../alarms/alarms.css';
import './rules.css';

/** Metrics move; the list reloads this often while the page is open. */
const REFRESH_MS = 10_000;

/** The rule engine's rules with their counters; a rule opens in the editor. */
export function RulesPage() {
  const { t, locale, formatNumber } = useI18n();
  const [rules, setRules] = useState<RuleView[]>([]);
  const [updatedAt, setUpdatedAt] = useState<number>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<RuleView | 'new'>();
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    const load = async (): Promise<void> => {
      try {
        setRules(await listRules(abort.signal));
        setUpdatedAt(Date.now());
        setError(undefined);
      } catch (err) {
        if (!isAbort(err)) setError(actionErrorText(err, t('rules.do.load'), undefined, t));
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      abort.abort();
      window.clearInterval(timer);
    };
  }, [generation, t]);

  const toggle = async (r: RuleView): Promise<void> => {
    setError(undefined);
    try {
      const after = await setRuleEnabled(r.id, !r.enabled, r.revision);
      setRules((list) => list.map((x) => (x.id === after.id ? after : x)));
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        setError(t('rules.conflictList', { name: r.name }));
        reload();
      } else
        setError(
          actionErrorText(
            err,
            t(r.enabled ? 'rules.do.disable' : 'rules.do.enable', { name: r.name }),
            'engineer',
            t,
          ),
        );
    }
  };

  const onSaved = (saved: RuleView): void => {
    setRules((list) => [...list.filter((x) => x.id !== saved.id), saved]);
    setEditing(saved);
  };

  return (
    <main className="rules-page" data-testid="rules-page">
      <div className="rules-bar">
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('rules.new')}
        </button>
        <span className="muted">
          {updatedAt !== undefined
            ? t('rules.updated', { time: formatDateTime(updatedAt, locale) })
            : t('app.loading')}
        </span>
      </div>
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="alarm-table rules-table">
        <thead>
          <tr>
            <th>{t('rules.col.enabled')}</th>
            <th>{t('rules.col.rule')}</th>
            <th>{t('rules.col.state')}</th>
            <th className="num">{t('rules.col.matched')}</th>
            <th className="num">{t('rules.col.passed')}</th>
            <th className="num">{t('rules.col.failed')}</th>
            <th className="num">{t('rules.col.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {[...rules]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((r) => (
              <tr
                key={r.id}
                data-testid="rule-row"
                className={editing !== 'new' && editing?.id === r.id ? 'is-open' : ''}
              >
                <td>
                  <label className="switch">
                    <input
                      type="checkbox"
                      role="switch"
                      aria-label={t('rules.enabledLabel', { name: r.name })}
                      checked={r.enabled}
                      onChange={() => void toggle(r)}
                    />
                    {t(r.enabled ? 'rules.on' : 'rules.off')}
                  </label>
                </td>
                <td>
                  <button type="button" className="link" onClick={() => setEditing(r)}>
                    {r.name}
                  </button>
                  {r.description !== undefined ? <div className="muted">{r.description}</div> : null}
                </td>
                <td className={`rule-state-${r.state}`}>
                  {t(`rules.state.${r.state}`)}
                  {r.error ? <div className="muted">{r.error.message}</div> : null}
                </td>
                <td className="num">{formatNumber(r.metrics.matched)}</td>
                <td className="num">{formatNumber(r.metrics.passed)}</td>
                <td className="num">
                  {formatNumber(r.metrics.failed)}
                  {r.metrics.actionsFailed > 0 ? (
                    <div className="muted">
                      {t('rules.actionFailures', { count: r.metrics.actionsFailed })}
                    </div>
                  ) : null}
                </td>
                <td className="num">{rateText(r.metrics.ratePerSecond)}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {rules.length === 0 && updatedAt !== undefined ? <p className="hint">{t('rules.empty')}</p> : null}
      {editing !== undefined ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? undefined : editing}
          onSaved={onSaved}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </main>
  );
}
