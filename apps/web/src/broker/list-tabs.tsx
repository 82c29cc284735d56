import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { bytesText } from '../fleet/fleet-logic.js';
import { usePoll } from '../fleet/use-poll.js';
import { brokerListeners, brokerRetained, brokerSubscriptions } from './broker-api.js';

const REFRESH_MS = 10_000;

/** Subscriptions, filtered by a substring of the filter. */
export function SubscriptionsTab() {
  const [filter, setFilter] = useState('');
  const subs = usePoll((signal) => brokerSubscriptions(filter.trim(), signal), REFRESH_MS, filter.trim());
  return (
    <section>
      <label className="search">
        Filter contains <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      <Count total={subs.data?.total} shown={subs.data?.items.length} />
      {subs.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(subs.error, 'list the subscriptions')}</p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>Client id</th>
            <th>Filter</th>
            <th>Share group</th>
            <th>QoS</th>
            <th>Options</th>
            <th>Client</th>
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
                {[s.noLocal ? 'no local' : '', s.retainAsPublished ? 'retain as published' : '']
                  .filter(Boolean)
                  .join(', ')}
              </td>
              <td>{s.online ? 'online' : <span className="muted">away (session kept)</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Retained messages under a topic filter, with a preview of each payload. */
export function RetainedTab() {
  const [topic, setTopic] = useState('');
  const retained = usePoll((signal) => brokerRetained(topic.trim(), signal), REFRESH_MS, topic.trim());
  return (
    <section>
      <label className="search">
        Topic filter{' '}
        <input type="search" value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="#" />
      </label>
      <Count total={retained.data?.total} shown={retained.data?.items.length} />
      {retained.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(retained.error, 'list the retained messages')}</p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>Topic</th>
            <th>QoS</th>
            <th>Size</th>
            <th>Payload</th>
            <th>From</th>
            <th>Received</th>
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
              <td>{formatDateTime(m.receivedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ListenersTab() {
  const listeners = usePoll((signal) => brokerListeners(signal), REFRESH_MS, 'listeners');
  return (
    <section>
      {listeners.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(listeners.error, 'list the listeners')}</p>
      ) : null}
      <table className="alarm-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Address</th>
            <th>Connections</th>
          </tr>
        </thead>
        <tbody>
          {(listeners.data ?? []).map((l) => (
            <tr key={`${l.host}:${l.port}`}>
              <td>{l.name ?? <span className="muted">unnamed</span>}</td>
              <td>{l.type}</td>
              <td className="mono">
                {l.host}:{l.port}
              </td>
              <td className="num">{l.connections}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Count({ total, shown }: { total: number | undefined; shown: number | undefined }) {
  if (total === undefined || shown === undefined) return null;
  return (
    <span className="muted">
      {' '}
      {total} in all{total > shown ? `, first ${shown} shown` : ''}
    </span>
  );
}
