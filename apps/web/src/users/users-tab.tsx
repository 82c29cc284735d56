import { useState } from 'react';
import type { SessionUser } from '../auth/auth-api.js';
import { usePoll } from '../fleet/use-poll.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { CreateUser } from './create-user.js';
import { ConfirmButton, SecretOnce } from './secret-once.js';
import { listUsers, recentLogins, resetPassword, updateUser, type Role, type UserView } from './users-api.js';
import {
  adminErrorText,
  grantableRoles,
  isRole,
  lastLoginsFrom,
  sortUsers,
  userStatus,
  type LastLogins,
} from './users-logic.js';

const POLL_MS = 30_000;
const LOGINS = 1000;

/** A one-time password just handed out, with whose it is; gone once closed. */
interface Issued {
  name: string;
  password: string;
  kind: 'created' | 'reset';
}

/** The users of the admin's project (all of them for an installation admin), and what to do with them. */
export function UsersTab({ me }: { me: SessionUser }) {
  const { t, locale } = useI18n();
  const users = usePoll((signal) => listUsers(signal), POLL_MS, 'users');
  const logins = usePoll(
    async (signal): Promise<LastLogins> => lastLoginsFrom(await recentLogins(LOGINS, signal), LOGINS),
    POLL_MS,
    'logins',
  );
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<Issued | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const grantable = grantableRoles(me.role);

  /** Runs a change of one user; its failure is told in the page's words, then the list reloads. */
  const act = async (u: UserView, action: MessageKey, change: () => Promise<void>): Promise<void> => {
    setBusy(u.id);
    setError(undefined);
    setNotice(undefined);
    try {
      await change();
    } catch (err) {
      setError(adminErrorText(err, t(action, { name: u.name }), t, u.name));
    } finally {
      setBusy(undefined);
      users.reload();
    }
  };

  const lastLogin = (name: string): string => {
    if (logins.data === undefined) return t('users.lastLogin.hidden');
    const at = logins.data.at.get(name);
    if (at !== undefined) return formatDateTime(at, locale);
    return logins.data.complete ? t('users.lastLogin.never') : t('users.lastLogin.unknown');
  };

  const list = sortUsers(users.data ?? []);
  return (
    <section className="admin-section" data-testid="users-tab">
      <div className="admin-bar">
        <span className="hint">
          {users.data !== undefined ? t('users.count', { count: list.length }) : ''}
        </span>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={creating}>
          {t('users.create')}
        </button>
      </div>
      {creating ? (
        <CreateUser
          me={me}
          onCancel={() => setCreating(false)}
          onCreated={(r, generated) => {
            setCreating(false);
            users.reload();
            if (generated !== undefined) setIssued({ name: r.name, password: generated, kind: 'created' });
            else setNotice(t('users.createdOwn', { name: r.name }));
          }}
        />
      ) : null}
      {issued !== undefined ? (
        <SecretOnce
          label={t('users.secret.password')}
          message={t(issued.kind === 'created' ? 'users.created' : 'users.reset', { name: issued.name })}
          secret={issued.password}
          onClose={() => setIssued(undefined)}
        />
      ) : null}
      {notice !== undefined ? <p className="admin-ok">{notice}</p> : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert" data-testid="users-error">
          {error}
        </p>
      ) : null}
      {users.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {adminErrorText(users.error, t('users.do.list'), t)}
        </p>
      ) : null}
      {users.data === undefined && users.loading ? <p className="hint">{t('users.loading')}</p> : null}
      {users.data !== undefined && list.length === 0 ? <p className="hint">{t('users.empty')}</p> : null}
      {list.length > 0 ? (
        <table className="admin-table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.col.name')}</th>
              <th>{t('users.col.role')}</th>
              <th>{t('users.col.project')}</th>
              <th>{t('users.col.status')}</th>
              <th>{t('users.col.lastLogin')}</th>
              <th>{t('users.col.created')}</th>
              <th>{t('users.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => {
              const status = userStatus(u);
              // A user above the admin's own grant (not possible for admins today) stays as it is.
              const canEdit = isRole(u.role) && grantable.includes(u.role);
              return (
                <tr key={u.id} data-user={u.name} className={u.disabled ? 'is-disabled' : undefined}>
                  <td>
                    <b>{u.name}</b>
                    {u.id === me.id ? <span className="hint"> ({t('users.you')})</span> : null}
                  </td>
                  <td>
                    <select
                      aria-label={t('users.roleFor', { name: u.name })}
                      value={u.role}
                      disabled={!canEdit || busy === u.id}
                      data-testid="user-role"
                      onChange={(e) => {
                        const role = e.target.value as Role;
                        void act(u, 'users.do.role', async () => {
                          await updateUser(u.id, { role });
                        });
                      }}
                    >
                      {(isRole(u.role) && !grantable.includes(u.role)
                        ? [u.role, ...grantable]
                        : grantable
                      ).map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.project === '*' ? t('users.project.all') : u.project}</td>
                  <td>
                    <span className={`status status-${status}`} data-testid="user-status">
                      {t(`users.status.${status}`)}
                    </span>
                  </td>
                  <td>{lastLogin(u.name)}</td>
                  <td>{formatDateTime(u.createdAt, locale)}</td>
                  <td className="admin-actions">
                    {u.disabled ? (
                      <button
                        type="button"
                        disabled={busy === u.id}
                        onClick={() =>
                          void act(u, 'users.do.enable', async () => {
                            await updateUser(u.id, { disabled: false });
                          })
                        }
                      >
                        {t('users.enable')}
                      </button>
                    ) : (
                      <ConfirmButton
                        label={t('users.disable')}
                        question={t('users.confirmDisable', { name: u.name })}
                        danger
                        disabled={busy === u.id}
                        onConfirm={() =>
                          void act(u, 'users.do.disable', async () => {
                            await updateUser(u.id, { disabled: true });
                          })
                        }
                      />
                    )}
                    <ConfirmButton
                      label={t('users.resetPassword')}
                      question={t('users.confirmReset', { name: u.name })}
                      disabled={busy === u.id}
                      onConfirm={() =>
                        void act(u, 'users.do.reset', async () => {
                          const r = await resetPassword(u.id);
                          if (r.initialPassword !== undefined)
                            setIssued({ name: u.name, password: r.initialPassword, kind: 'reset' });
                        })
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
