import { useState } from 'react';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { errorText } from '../i18n/translate.js';
import {
  countBySeverity,
  limitText,
  SEVERITIES,
  siteOf,
  sinceOf,
  sortAlarms,
  stateText,
  valueText,
} from './alarm-logic.js';
import { AlarmActions } from './alarm-actions.js';
import { AlarmHistory } from './alarm-history.js';
import { useAlarms } from './use-alarms.js';
import './alarms.css';

/** The operator's alarm page: what needs attention now, most severe first, and what happened. */
export function AlarmsPage() {
  const { t, locale } = useI18n();
  const [tab, setTab] = useState<'active' | 'history'>('active');
  const state = useAlarms();
  const sorted = sortAlarms(state.alarms);
  const counts = countBySeverity(state.alarms);

  return (
    <main className="alarms-page" data-testid="alarms-page">
      <div className="alarm-counts" role="status" aria-label={t('alarms.bySeverity')}>
        {SEVERITIES.map((s) => (
          <div key={s} className={`alarm-count sev-${s}${counts[s] > 0 ? ' is-nonzero' : ''}`}>
            <span className="count">{counts[s]}</span>
            <span className="label">{t(`severity.${s}`)}</span>
          </div>
        ))}
        <div className="alarm-updated">
          <span className={`led ${state.live ? 'is-live' : ''}`} aria-hidden="true" />
          {t(state.live ? 'alarms.live' : 'alarms.polling')}
          {state.updatedAt !== undefined
            ? t('alarms.updated', { time: formatDateTime(state.updatedAt, locale) })
            : ''}
        </div>
      </div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'active'} onClick={() => setTab('active')}>
          {t('alarms.tab.active', { count: state.alarms.length })}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          {t('alarms.tab.history')}
        </button>
      </div>
      {tab === 'history' ? (
        <AlarmHistory />
      ) : (
        <>
          {state.error !== undefined ? (
            <p className="alarm-error" role="alert">
              {t('alarms.loadFailed', { error: errorText(t, state.error) })}{' '}
              <button type="button" onClick={state.reload}>
                {t('alarms.retry')}
              </button>
            </p>
          ) : null}
          {state.loading ? (
            <p className="hint">{t('alarms.loading')}</p>
          ) : sorted.length === 0 && state.error === undefined ? (
            <p className="alarm-empty">{t('alarms.empty')}</p>
          ) : (
            <table className="alarm-table">
              <thead>
                <tr>
                  <th>{t('alarms.col.severity')}</th>
                  <th>{t('alarms.col.alarm')}</th>
                  <th>{t('alarms.col.state')}</th>
                  <th>{t('alarms.col.sitePoint')}</th>
                  <th>{t('alarms.col.value')}</th>
                  <th>{t('alarms.col.limit')}</th>
                  <th>{t('alarms.col.since')}</th>
                  <th>{t('alarms.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((a) => (
                  <tr key={a.id} className={`sev-${a.severity} st-${a.status}`} data-testid="alarm-row">
                    <td>
                      <span className={`sev-badge sev-${a.severity}`}>{t(`severity.${a.severity}`)}</span>
                    </td>
                    <td>
                      <strong>{a.name}</strong>
                      <div className="muted">{a.message}</div>
                      {a.comments.length > 0 ? (
                        <div className="muted">
                          “{a.comments[a.comments.length - 1]!.text}” —{' '}
                          {a.comments[a.comments.length - 1]!.by}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      {stateText(a, t)}
                      {a.shelved ? (
                        <div className="muted">
                          {t('alarms.until', { time: formatDateTime(a.shelved.until, locale) })}
                        </div>
                      ) : null}
                      {a.acknowledgedBy !== undefined && a.acknowledged ? (
                        <div className="muted">{t('alarms.by', { name: a.acknowledgedBy })}</div>
                      ) : null}
                    </td>
                    <td>
                      <div>{siteOf(a.point)}</div>
                      <div className="muted mono">{a.point}</div>
                    </td>
                    <td className="num">{valueText(a.value)}</td>
                    <td className="num">{limitText(state.conditions.get(a.id), t)}</td>
                    <td>{formatDateTime(sinceOf(a), locale)}</td>
                    <td>
                      <AlarmActions alarm={a} onChanged={state.replace} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </main>
  );
}
