import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
import { usePoll } from '../fleet/use-poll.js';
import { brokerClients, kickClient } from './broker-api.js';

const REFRESH_MS = 5000;
const MQTT_VERSION = { 3: '3.1', 4: '3.1.1', 5: '5.0' } as const;

/** Connected clients, searchable; Kick disconnects one after a confirm (its session stays). */
export function ClientsTab() {
  const [q, setQ] = useState('');
  const clients = usePoll((signal) => brokerClients(q.trim(), signal), REFRESH_MS, q.trim());
  const [confirm, setConfirm] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const now = Date.now();

  return (
    <section>
      <label className="search">
        Search{' '}
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="client id, username or address"
        />
      </label>
      {clients.data !== undefined ? (
        <span className="muted">
          {' '}
          {clients.data.total} {q.trim() !== '' ? 'matching' : 'connected'}
          {clients.data.total > clients.data.items.length ? `, first ${clients.data.items.length} shown` : ''}
        </span>
      ) : null}
      {clients.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(clients.error, 'list the clients')}</p>
      ) : null}
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm kick">
          <p>
            Disconnect client “{confirm}”? It may reconnect at once unless it is also banned; its session and
            queued messages stay.
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              kickClient(confirm)
                .then(() => {
                  setMessage({ error: false, text: `Disconnected “${confirm}”.` });
                  clients.reload();
                })
                .catch((err: unknown) =>
                  setMessage({
                    error: true,
                    text: actionErrorText(err, 'disconnect the client', 'engineer'),
                  }),
                )
                .finally(() => {
                  setBusy(false);
                  setConfirm(undefined);
                });
            }}
          >
            Kick
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
      <table className="alarm-table">
        <thead>
          <tr>
            <th>Client id</th>
            <th>Username</th>
            <th>Peer</th>
            <th>Listener</th>
            <th>MQTT</th>
            <th>Connected</th>
            <th>Subs</th>
            <th>In flight / queued</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(clients.data?.items ?? []).map((c) => (
            <tr key={c.clientId}>
              <td className="mono">{c.clientId}</td>
              <td>{c.username ?? <span className="muted">—</span>}</td>
              <td className="mono">{c.peer ?? ''}</td>
              <td>{c.listener ?? ''}</td>
              <td>{MQTT_VERSION[c.protocolVersion]}</td>
              <td>{c.connectedAt !== undefined ? formatAge(now - c.connectedAt) : ''}</td>
              <td className="num">{c.subscriptions}</td>
              <td className="num">
                {c.inflight} / {c.queued}
              </td>
              <td>
                <button type="button" disabled={busy} onClick={() => setConfirm(c.clientId)}>
                  Kick…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
