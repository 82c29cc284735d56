import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { usePoll } from '../fleet/use-poll.js';
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
const SOURCE_TEXT = {
  operator: 'operator',
  config: 'broker config',
  flapping: 'flapping (automatic)',
} as const;

/** The bans: operator bans can be added and removed here; config and flapping bans are shown only. */
export function BansTab() {
  const bans = usePoll((signal) => brokerBans(signal), REFRESH_MS, 'bans');
  const [form, setForm] = useState<BanForm>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const now = Date.now();
  const checked = banBody(form);
  const set = (patch: Partial<BanForm>) => setForm((f) => ({ ...f, ...patch }));

  const act = (what: string, run: () => Promise<string>): void => {
    setBusy(true);
    setMessage(undefined);
    run()
      .then((text) => {
        setMessage({ error: false, text });
        bans.reload();
      })
      .catch((err: unknown) => setMessage({ error: true, text: actionErrorText(err, what, 'engineer') }))
      .finally(() => setBusy(false));
  };

  return (
    <section>
      <form
        className="alarm-form fleet-card"
        aria-label="Add a ban"
        onSubmit={(e) => {
          e.preventDefault();
          if (!checked.ok) return;
          act('add the ban', async () => {
            const created = await addBan(checked.body);
            setForm(EMPTY);
            return created.kicked.length > 0
              ? `Banned; disconnected ${created.kicked.join(', ')}.`
              : 'Banned; no connected client matched.';
          });
        }}
      >
        <label>
          Client id
          <input value={form.clientId} onChange={(e) => set({ clientId: e.target.value })} />
        </label>
        <label>
          Username
          <input value={form.username} onChange={(e) => set({ username: e.target.value })} />
        </label>
        <label>
          Peer address or CIDR
          <input
            value={form.peer}
            onChange={(e) => set({ peer: e.target.value })}
            placeholder="e.g. 10.1.0.0/16"
          />
        </label>
        <label>
          Reason
          <input value={form.reason} maxLength={500} onChange={(e) => set({ reason: e.target.value })} />
        </label>
        <label>
          For
          <select
            value={form.durationS ?? 'permanent'}
            onChange={(e) =>
              set({ durationS: e.target.value === 'permanent' ? undefined : Number(e.target.value) })
            }
          >
            {BAN_DURATIONS.map((d) => (
              <option key={d.label} value={d.seconds ?? 'permanent'}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy || !checked.ok}>
          Ban
        </button>
        {!checked.ok && (form.clientId || form.username || form.peer) ? (
          <span className="alarm-error">{checked.error}</span>
        ) : (
          <span className="muted">
            Every field given must match; matching clients are disconnected at once.
          </span>
        )}
      </form>
      {message !== undefined ? (
        <p className={message.error ? 'alarm-error' : 'muted'} role="status">
          {message.text}
        </p>
      ) : null}
      {bans.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(bans.error, 'list the bans')}</p>
      ) : null}
      {bans.data !== undefined && bans.data.length === 0 ? <p className="alarm-empty">No bans.</p> : null}
      {bans.data !== undefined && bans.data.length > 0 ? (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>Banned</th>
              <th>Reason</th>
              <th>Source</th>
              <th>By</th>
              <th>Since</th>
              <th>Until</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bans.data.map((b) => (
              <tr key={b.id}>
                <td className="mono">{banTarget(b)}</td>
                <td>{b.reason}</td>
                <td>{SOURCE_TEXT[b.source]}</td>
                <td>{b.createdBy}</td>
                <td>{b.createdAt !== undefined ? formatDateTime(b.createdAt) : ''}</td>
                <td title={b.until !== undefined ? formatDateTime(b.until) : undefined}>
                  {banUntilText(b, now)}
                </td>
                <td>
                  {canRemoveBan(b) ? (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() =>
                        act('remove the ban', async () => {
                          await removeBan(b.id);
                          return `Ban on ${banTarget(b)} removed.`;
                        })
                      }
                    >
                      Remove
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
