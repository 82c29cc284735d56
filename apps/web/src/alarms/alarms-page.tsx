import { useState } from 'react';
import { formatDateTime } from '../format/format.js';
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

const SEVERITY_TEXT = { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' } as const;

/** The operator's alarm page: what needs attention now, most severe first, and what happened. */
export function AlarmsPage() {
  const [tab, setTab] = useState<'active' | 'history'>('active');
  const state = useAlarms();
  const sorted = sortAlarms(state.alarms);
  const counts = countBySeverity(state.alarms);

  return (
    <main className="alarms-page" data-testid="alarms-page">
      <div className="alarm-counts" role="status" aria-label="Alarms by severity">
        {SEVERITIES.map((s) => (
          <div key={s} className={`alarm-count sev-${s}${counts[s] > 0 ? ' is-nonzero' : ''}`}>
            <span className="count">{counts[s]}</span>
            <span className="label">{SEVERITY_TEXT[s]}</span>
          </div>
        ))}
        <div className="alarm-updated">
          <span className={`led ${state.live ? 'is-live' : ''}`} aria-hidden="true" />
          {state.live ? 'Live' : 'Refreshing every 30 s'}
          {state.updatedAt !== undefined ? ` · updated ${formatDateTime(state.updatedAt)}` : ''}
        </div>
      </div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'active'} onClick={() => setTab('active')}>
          Active ({state.alarms.length})
        </button>
        <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          History
        </button>
      </div>
      {tab === 'history' ? (
        <AlarmHistory />
      ) : (
        <>
          {state.error !== undefined ? (
            <p className="alarm-error" role="alert">
              Cannot load the alarms: {state.error}. Retrying every 30 s.{' '}
              <button type="button" onClick={state.reload}>
                Retry now
              </button>
            </p>
          ) : null}
          {state.loading ? (
            <p className="hint">Loading alarms…</p>
          ) : sorted.length === 0 && state.error === undefined ? (
            <p className="alarm-empty">No alarms need attention.</p>
          ) : (
            <table className="alarm-table">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Alarm</th>
                  <th>State</th>
                  <th>Site / point</th>
                  <th>Value</th>
                  <th>Limit</th>
                  <th>Since</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((a) => (
                  <tr key={a.id} className={`sev-${a.severity} st-${a.status}`} data-testid="alarm-row">
                    <td>
                      <span className={`sev-badge sev-${a.severity}`}>{SEVERITY_TEXT[a.severity]}</span>
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
                      {stateText(a)}
                      {a.shelved ? (
                        <div className="muted">until {formatDateTime(a.shelved.until)}</div>
                      ) : null}
                      {a.acknowledgedBy !== undefined && a.acknowledged ? (
                        <div className="muted">by {a.acknowledgedBy}</div>
                      ) : null}
                    </td>
                    <td>
                      <div>{siteOf(a.point)}</div>
                      <div className="muted mono">{a.point}</div>
                    </td>
                    <td className="num">{valueText(a.value)}</td>
                    <td className="num">{limitText(state.conditions.get(a.id))}</td>
                    <td>{formatDateTime(sinceOf(a))}</td>
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
