import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
import { bytesText } from '../fleet/fleet-logic.js';
import { usePoll } from '../fleet/use-poll.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { brokerClients, kickClient, type ClientSort } from './broker-api.js';

const REFRESH_MS = 5000;
const MQTT_VERSION = { 3: '3.1', 4: '3.1.1', 5: '5.0' } as const;
const SORTS: readonly { sort: ClientSort; label: MessageKey }[] = [
  { sort: 'clientId', label: 'broker.sort.clientId' },
  { sort: 'bytesIn', label: 'broker.sort.bytesIn' },
  { sort: 'bytesOut', label: 'broker.sort.bytesOut' },
  { sort: 'connectedAt', label: 'broker.sort.connectedAt' },
];

/** Connected clients, searchable; Kick disconnects one after a confirm (its session stays). */
export function ClientsTab() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<ClientSort>('clientId');
  const clients = usePoll(
    (signal) => brokerClients(q.trim(), signal, sort),
    REFRESH_MS,
    `${sort} ${q.trim()}`,
  );
  const [confirm, setConfirm] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const now = Date.now();

  return (
    <section>
      <label className="search">
        {t('broker.search')}{' '}
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('broker.clients.placeholder')}
        />
      </label>
      <label className="search">
        {' '}
        {t('broker.sort')}{' '}
        <select value={sort} onChange={(e) => setSort(e.target.value as ClientSort)}>
          {SORTS.map((s) => (
            <option key={s.sort} value={s.sort}>
              {t(s.label)}
            </option>
          ))}
        </select>
      </label>
      {clients.data !== undefined ? (
        <span className="muted">
          {' '}
          {t(q.trim() !== '' ? 'broker.clients.matching' : 'broker.clients.connected', {
            count: clients.data.total,
          })}
          {clients.data.total > clients.data.items.length
            ? t('broker.firstShown', { count: clients.data.items.length })
            : ''}
        </span>
      ) : null}
      {clients.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(clients.error, t('broker.do.clients'), undefined, t)}</p>
      ) : null}
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label={t('broker.kick.label')}>
          <p>{t('broker.kick.text', { id: confirm })}</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              kickClient(confirm)
                .then(() => {
                  setMessage({ error: false, text: t('broker.kick.done', { id: confirm }) });
                  clients.reload();
                })
                .catch((err: unknown) =>
                  setMessage({
                    error: true,
                    text: actionErrorText(err, t('broker.do.kick'), 'engineer', t),
                  }),
                )
                .finally(() => {
                  setBusy(false);
                  setConfirm(undefined);
                });
            }}
          >
            {t('broker.kick')}
          </button>
          <button type="button" onClick={() => setConfirm(undefined)}>
            {t('broker.cancel')}
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
            <th>{t('broker.col.clientId')}</th>
            <th>{t('broker.col.username')}</th>
            <th>{t('broker.col.peer')}</th>
            <th>{t('broker.col.listener')}</th>
            <th>{t('broker.col.mqtt')}</th>
            <th>{t('broker.col.connected')}</th>
            <th>{t('broker.col.subs')}</th>
            <th>{t('broker.col.inflight')}</th>
            <th>{t('broker.col.traffic')}</th>
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
              <td>{c.connectedAt !== undefined ? formatAge(now - c.connectedAt, t) : ''}</td>
              <td className="num">{c.subscriptions}</td>
              <td className="num">
                {c.inflight} / {c.queued}
              </td>
              <td className="num" title={`${c.packetsIn} / ${c.packetsOut}`}>
                {bytesText(c.bytesIn)} / {bytesText(c.bytesOut)}
              </td>
              <td>
                <button type="button" disabled={busy} onClick={() => setConfirm(c.clientId)}>
                  {t('broker.kickOpen')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
