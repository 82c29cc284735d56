import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { bytesText } from '../fleet/fleet-logic.js';
import { usePoll } from '../fleet/use-poll.js';
import { useI18n } from '../i18n/i18n-context.js';
import { brokerListeners, brokerRetained, brokerSubscriptions } from './broker-api.js';

const REFRESH_MS = 10_000;

/** Subscriptions, filtered by a substring of the filter. */
export function SubscriptionsTab() {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const subs = usePoll((signal) => brokerSubscriptions(filter.trim(), signal), REFRESH_MS, filter.trim());
  return (
    <section>
      <label className="search">
        {t('broker.subs.filterContains')}{' '}
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <Count total={subs.data?.total} shown={subs.data?.items.length} />
      {subs.error !== undefined ? (
        <p className="alarm-error">
          {actionErrorText(subs.error, t('broker.do.subscriptions'), undefined, t)}
        </p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('broker.col.clientId')}</th>
            <th>{t('broker.col.filter')}</th>
            <th>{t('broker.col.shareGroup')}</th>
            <th>{t('broker.col.qos')}</th>
            <th>{t('broker.col.options')}</th>
            <th>{t('broker.col.client')}</th>
          </tr>
        </thead>
        <tbody>
          {(subs.data?.items ?? []).map((s) => (
            <tr key={`${s.clientId}\u0000${s.filter}`}>
              <td className="mono">{s.clientId}</td>
              <td className="mono">{s.filter}</td>
              <td>{s.shareGroup ?? ''}</td>
              <td className="num">{s.qos}</td>
              <td className="muted">
                {[
                  s.noLocal ? t('broker.subs.noLocal') : '',
                  s.retainAsPublished ? t('broker.subs.retainAsPublished') : '',
                ]
                  .filter(Boolean)
                  .join(', ')}
              </td>
              <td>
                {s.online ? t('broker.subs.online') : <span className="muted">{t('broker.subs.away')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Retained messages under a topic filter, with a preview of each payload. */
export function RetainedTab() {
  const { t, locale } = useI18n();
  const [topic, setTopic] = useState('');
  const retained = usePoll((signal) => brokerRetained(topic.trim(), signal), REFRESH_MS, topic.trim());
  return (
    <section>
      <label className="search">
        {t('broker.retained.topicFilter')}{' '}
        <input type="search" value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="#" />
      </label>
      <Count total={retained.data?.total} shown={retained.data?.items.length} />
      {retained.error !== undefined ? (
        <p className="alarm-error">
          {actionErrorText(retained.error, t('broker.do.retained'), undefined, t)}
        </p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('broker.col.topic')}</th>
            <th>{t('broker.col.qos')}</th>
            <th>{t('broker.col.size')}</th>
            <th>{t('broker.col.payload')}</th>
            <th>{t('broker.col.from')}</th>
            <th>{t('broker.col.received')}</th>
          </tr>
        </thead>
        <tbody>
          {(retained.data?.items ?? []).map((m) => (
            <tr key={m.topic}>
              <td className="mono">{m.topic}</td>
              <td className="num">{m.qos}</td>
              <td className="num">{bytesText(m.size)}</td>
              <td className="mono preview">
                {m.previewEncoding === 'base64' ? <span className="muted">base64 </span> : null}
                {m.preview}
                {m.truncated ? '…' : ''}
              </td>
              <td className="mono">{m.clientId ?? ''}</td>
              <td>{formatDateTime(m.receivedAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ListenersTab() {
  const { t, formatNumber } = useI18n();
  const listeners = usePoll((signal) => brokerListeners(signal), REFRESH_MS, 'listeners');
  return (
    <section>
      {listeners.error !== undefined ? (
        <p className="alarm-error">
          {actionErrorText(listeners.error, t('broker.do.listeners'), undefined, t)}
        </p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('broker.col.name')}</th>
            <th>{t('broker.col.type')}</th>
            <th>{t('broker.col.address')}</th>
            <th>{t('broker.col.connections')}</th>
          </tr>
        </thead>
        <tbody>
          {(listeners.data ?? []).map((l) => (
            <tr key={`${l.host}:${l.port}`}>
              <td>{l.name ?? <span className="muted">{t('broker.listeners.unnamed')}</span>}</td>
              <td>{l.type}</td>
              <td className="mono">
                {l.host}:{l.port}
              </td>
              <td className="num">{formatNumber(l.connections)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Count({ total, shown }: { total: number | undefined; shown: number | undefined }) {
  const t = useI18n().t;
  if (total === undefined || shown === undefined) return null;
  return (
    <span className="muted">
      {' '}
      {t('broker.inAll', { count: total })}
      {total > shown ? t('broker.firstShown', { count: shown }) : ''}
    </span>
  );
}
