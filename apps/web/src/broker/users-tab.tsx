import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { usePoll } from '../fleet/use-poll.js';
import { useI18n } from '../i18n/i18n-context.js';
import { brokerUsers, createUser, deleteUser, updateUser, type BrokerUser } from './security-api.js';
import { EMPTY_USER, userBody, userChange, type UserForm } from './security-logic.js';

const REFRESH_MS = 15_000;

/**
 * The broker's password users: the config file's (read-only) and the console's, which can be
 * added, edited (new password, roles) and deleted after a confirm. Changing them needs admin.
 */
export function UsersTab() {
  const { t, locale } = useI18n();
  const users = usePoll((signal) => brokerUsers(signal), REFRESH_MS, 'users');
  const [form, setForm] = useState<UserForm>(EMPTY_USER);
  const [editing, setEditing] = useState<{ username: string; form: UserForm }>();
  const [confirm, setConfirm] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const checked = userBody(form, t);
  const set = (patch: Partial<UserForm>) => setForm((f) => ({ ...f, ...patch }));

  const act = (what: string, run: () => Promise<string>): void => {
    setBusy(true);
    setMessage(undefined);
    run()
      .then((text) => {
        setMessage({ error: false, text });
        users.reload();
      })
      .catch((err: unknown) => setMessage({ error: true, text: actionErrorText(err, what, undefined, t) }))
      .finally(() => setBusy(false));
  };
  const editable = users.data?.editable ?? false;

  return (
    <section data-testid="broker-users">
      {users.data !== undefined && !editable ? <p className="muted">{t('broker.notEditable')}</p> : null}
      {users.data !== undefined && editable && !users.data.persistent ? (
        <p className="alarm-error">{t('broker.notPersistent')}</p>
      ) : null}
      {editable ? (
        <form
          className="alarm-form fleet-card"
          aria-label={t('broker.users.add')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!checked.ok) return;
            act(t('broker.do.addUser'), async () => {
              const created = await createUser(checked.body);
              setForm(EMPTY_USER);
              return t('broker.users.added', { username: created.username });
            });
          }}
        >
          <label>
            {t('broker.users.username')}
            <input
              value={form.username}
              autoComplete="off"
              onChange={(e) => set({ username: e.target.value })}
            />
          </label>
          <PasswordFields form={form} set={set} label={t('broker.users.password')} />
          <label>
            {t('broker.users.roles')}
            <input
              value={form.roles}
              placeholder={t('broker.users.rolesPlaceholder')}
              onChange={(e) => set({ roles: e.target.value })}
            />
          </label>
          <button type="submit" className="primary" disabled={busy || !checked.ok}>
            {t('broker.users.submit')}
          </button>
          {!checked.ok && (form.username || form.password) ? (
            <span className="alarm-error">{checked.error}</span>
          ) : (
            <span className="muted">{t('broker.users.hint')}</span>
          )}
        </form>
      ) : null}
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label={t('broker.users.deleteLabel')}>
          <p>{t('broker.users.deleteText', { username: confirm })}</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              const username = confirm;
              setConfirm(undefined);
              act(t('broker.do.deleteUser'), async () => {
                await deleteUser(username);
                return t('broker.users.deleted', { username });
              });
            }}
          >
            {t('broker.delete')}
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
      {users.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(users.error, t('broker.do.users'), undefined, t)}</p>
      ) : null}
      {users.data !== undefined && users.data.items.length === 0 ? (
        <p className="alarm-empty">{t('broker.users.empty')}</p>
      ) : null}
      {users.data !== undefined && users.data.items.length > 0 ? (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('broker.users.col.username')}</th>
              <th>{t('broker.users.col.source')}</th>
              <th>{t('broker.users.col.scheme')}</th>
              <th>{t('broker.users.col.roles')}</th>
              <th>{t('broker.users.col.updated')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) =>
              editing?.username === u.username ? (
                <EditRow
                  key={u.username}
                  user={u}
                  form={editing.form}
                  busy={busy}
                  onChange={(f) => setEditing({ username: u.username, form: f })}
                  onCancel={() => setEditing(undefined)}
                  onSave={(change) =>
                    act(t('broker.do.changeUser'), async () => {
                      await updateUser(u.username, change);
                      setEditing(undefined);
                      return t('broker.users.changed', { username: u.username });
                    })
                  }
                />
              ) : (
                <tr key={u.username}>
                  <td className="mono">{u.username}</td>
                  <td>{t(u.source === 'file' ? 'broker.source.file' : 'broker.source.runtime')}</td>
                  <td>{[u.passwordScheme, u.scram ? 'SCRAM' : undefined].filter(Boolean).join(' + ')}</td>
                  <td>{u.roles.join(', ')}</td>
                  <td>{u.updatedAt !== undefined ? formatDateTime(u.updatedAt, locale) : ''}</td>
                  <td>
                    {u.source === 'runtime' ? (
                      <>
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() =>
                            setEditing({
                              username: u.username,
                              form: { ...EMPTY_USER, roles: u.roles.join(', ') },
                            })
                          }
                        >
                          {t('broker.edit')}
                        </button>{' '}
                        <button type="button" disabled={busy} onClick={() => setConfirm(u.username)}>
                          {t('broker.delete')}
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function PasswordFields(props: { form: UserForm; set: (patch: Partial<UserForm>) => void; label: string }) {
  const { t } = useI18n();
  return (
    <>
      <label>
        {props.label}
        <input
          type="password"
          autoComplete="new-password"
          value={props.form.password}
          onChange={(e) => props.set({ password: e.target.value })}
        />
      </label>
      <label>
        {t('broker.users.confirm')}
        <input
          type="password"
          autoComplete="new-password"
          value={props.form.confirm}
          onChange={(e) => props.set({ confirm: e.target.value })}
        />
      </label>
    </>
  );
}

function EditRow(props: {
  user: BrokerUser;
  form: UserForm;
  busy: boolean;
  onChange: (form: UserForm) => void;
  onCancel: () => void;
  onSave: (change: { password?: string; roles: string[] }) => void;
}) {
  const { t } = useI18n();
  const checked = userChange(props.form, t);
  const set = (patch: Partial<UserForm>) => props.onChange({ ...props.form, ...patch });
  return (
    <tr>
      <td className="mono">{props.user.username}</td>
      <td colSpan={4}>
        <span className="alarm-form">
          <PasswordFields form={props.form} set={set} label={t('broker.users.newPassword')} />
          <label>
            {t('broker.users.roles')}
            <input value={props.form.roles} onChange={(e) => set({ roles: e.target.value })} />
          </label>
          {!checked.ok ? <span className="alarm-error">{checked.error}</span> : null}
        </span>
      </td>
      <td>
        <button
          type="button"
          className="primary"
          disabled={props.busy || !checked.ok}
          onClick={() => {
            if (checked.ok) props.onSave(checked.body);
          }}
        >
          {t('broker.save')}
        </button>{' '}
        <button type="button" onClick={props.onCancel}>
          {t('broker.cancel')}
        </button>
      </td>
    </tr>
  );
}
