import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { usePoll } from '../fleet/use-poll.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { addBan, brokerBans, removeBan } from './broker-api.js';
import {
  BAN_DURATIONS,
  banBody,
  banTarget,
  banUntilText,
  canRemoveBan,
  type BanForm,
} from './broker-logic.js';

const REFRESH_MS = 10_000;
const EMPTY: BanForm = { clientId: '', username: '', peer: '', reason: '', durationS: 3600 };
const SOURCE_TEXT: Record<'operator' | 'config' | 'flapping', MessageKey> = {
  operator: 'broker.source.operator',
  config: 'broker.source.config',
  flapping: 'broker.source.flapping',
};

/** The bans: operator bans can be added and removed here; config and flapping bans are shown only. */
export function BansTab() {
  const { t, locale } = useI18n();
  const bans = usePoll((signal) => brokerBans(signal), REFRESH_MS, 'bans');
  const [form, setForm] = useState<BanForm>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const now = Date.now();
  const checked = banBody(form, t);
  const set = (patch: Partial<BanForm>) => setForm((f) => ({ ...f, ...patch }));

  const act = (what: string, run: () => Promise<string>): void => {
    setBusy(true);
    setMessage(undefined);
    run()
      .then((text) => {
        setMessage({ error: false, text });
        bans.reload();
      })
      .catch((err: unknown) => setMessage({ error: true, text: actionErrorText(err, what, 'engineer', t) }))
      .finally(() => setBusy(false));
  };

  return (
    <section>
      <form
        className="alarm-form fleet-card"
        aria-label={t('broker.ban.add')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!checked.ok) return;
          act(t('broker.do.addBan'), async () => {
            const created = await addBan(checked.body);
            setForm(EMPTY);
            return created.kicked.length > 0
              ? t('broker.ban.kicked', { clients: created.kicked.join(', ') })
              : t('broker.ban.noneKicked');
          });
        }}
      >
        <label>
          {t('broker.ban.clientId')}
          <input value={form.clientId} onChange={(e) => set({ clientId: e.target.value })} />
        </label>
        <label>
          {t('broker.ban.username')}
          <input value={form.username} onChange={(e) => set({ username: e.target.value })} />
        </label>
        <label>
          {t('broker.ban.peer')}
          <input
            value={form.peer}
            onChange={(e) => set({ peer: e.target.value })}
            placeholder={t('broker.ban.peerPlaceholder')}
          />
        </label>
        <label>
          {t('broker.ban.reason')}
          <input value={form.reason} maxLength={500} onChange={(e) => set({ reason: e.target.value })} />
        </label>
        <label>
          {t('broker.ban.for')}
          <select
            value={form.durationS ?? 'permanent'}
            onChange={(e) =>
              set({ durationS: e.target.value === 'permanent' ? undefined : Number(e.target.value) })
            }
          >
            {BAN_DURATIONS.map((d) => (
              <option key={d.label} value={d.seconds ?? 'permanent'}>
                {t(d.label)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy || !checked.ok}>
          {t('broker.ban.submit')}
        </button>
        {!checked.ok && (form.clientId || form.username || form.peer) ? (
          <span className="alarm-error">{checked.error}</span>
        ) : (
          <span className="muted">{t('broker.ban.hint')}</span>
        )}
      </form>
      {message !== undefined ? (
        <p className={message.error ? 'alarm-error' : 'muted'} role="status">
          {message.text}
        </p>
      ) : null}
      {bans.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(bans.error, t('broker.do.bans'), undefined, t)}</p>
      ) : null}
      {bans.data !== undefined && bans.data.length === 0 ? (
        <p className="alarm-empty">{t('broker.ban.empty')}</p>
      ) : null}
      {bans.data !== undefined && bans.data.length > 0 ? (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('broker.col.banned')}</th>
              <th>{t('broker.col.reason')}</th>
              <th>{t('broker.col.source')}</th>
              <th>{t('broker.col.by')}</th>
              <th>{t('broker.col.since')}</th>
              <th>{t('broker.col.until')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bans.data.map((b) => (
              <tr key={b.id}>
                <td className="mono">{banTarget(b, t)}</td>
                <td>{b.reason}</td>
                <td>{t(SOURCE_TEXT[b.source])}</td>
                <td>{b.createdBy}</td>
                <td>{b.createdAt !== undefined ? formatDateTime(b.createdAt, locale) : ''}</td>
                <td title={b.until !== undefined ? formatDateTime(b.until, locale) : undefined}>
                  {banUntilText(b, now, t)}
                </td>
                <td>
                  {canRemoveBan(b) ? (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        act(t('broker.do.removeBan'), async () => {
                          await removeBan(b.id);
                          return t('broker.ban.removed', { target: banTarget(b, t) });
                        })
                      }
                    >
                      {t('broker.ban.remove')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
