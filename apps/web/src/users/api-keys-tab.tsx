import { useState } from 'react';
import type { SessionUser } from '../auth/auth-api.js';
import { usePoll } from '../fleet/use-poll.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { fromLocalInput } from '../explorer/explorer-state.js';
import { ConfirmButton, SecretOnce } from './secret-once.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyView, type Role } from './users-api.js';
import {
  adminErrorText,
  grantableRoles,
  isRole,
  keyStatus,
  PROJECT,
  roleAtLeast,
  sortKeys,
} from './users-logic.js';

const POLL_MS = 30_000;

/**
 * API keys of the project: who made each, its role, whether it still works; create one (the
 * full key is shown once) or revoke one. Nobody creates or revokes a key above their own role.
 */
export function ApiKeysTab({ me }: { me: SessionUser }) {
  const { t, locale } = useI18n();
  const keys = usePoll((signal) => listApiKeys(signal), POLL_MS, 'keys');
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ name: string; key: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const now = Date.now();
  const list = sortKeys(keys.data ?? [], now);
  const active = list.filter((k) => keyStatus(k, now) === 'active').length;

  const revoke = async (k: ApiKeyView): Promise<void> => {
    setError(undefined);
    try {
      await revokeApiKey(k.id);
    } catch (err) {
      setError(adminErrorText(err, t('keys.do.revoke', { name: k.name }), t, k.name));
    } finally {
      keys.reload();
    }
  };

  return (
    <section className="admin-section" data-testid="keys-tab">
      <div className="admin-bar">
        <span className="hint">
          {keys.data !== undefined ? t('keys.count', { count: list.length, active }) : ''}
        </span>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={creating}>
          {t('keys.create')}
        </button>
      </div>
      {creating ? (
        <CreateKey
          me={me}
          onCancel={() => setCreating(false)}
          onCreated={(name, key) => {
            setCreating(false);
            setIssued({ name, key });
            keys.reload();
          }}
        />
      ) : null}
      {issued !== undefined ? (
        <SecretOnce
          label={t('users.secret.key')}
          message={t('keys.created', { name: issued.name })}
          secret={issued.key}
          onClose={() => setIssued(undefined)}
        />
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      {keys.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {adminErrorText(keys.error, t('keys.do.list'), t)}
        </p>
      ) : null}
      {keys.data === undefined && keys.loading ? <p className="hint">{t('keys.loading')}</p> : null}
      {keys.data !== undefined && list.length === 0 ? <p className="hint">{t('keys.empty')}</p> : null}
      {list.length > 0 ? (
        <table className="admin-table" data-testid="keys-table">
          <thead>
            <tr>
              <th>{t('keys.col.name')}</th>
              <th>{t('keys.col.prefix')}</th>
              <th>{t('keys.col.role')}</th>
              <th>{t('keys.col.project')}</th>
              <th>{t('keys.col.createdBy')}</th>
              <th>{t('keys.col.created')}</th>
              <th>{t('keys.col.expires')}</th>
              <th>{t('keys.col.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((k) => {
              const status = keyStatus(k, now);
              const mayRevoke = status === 'active' && (!isRole(k.role) || roleAtLeast(me.role, k.role));
              return (
                <tr key={k.id} data-key={k.name} className={status !== 'active' ? 'is-disabled' : undefined}>
                  <td>
                    <b>{k.name}</b>
                  </td>
                  <td>
                    <code>wsk_{k.prefix}_…</code>
                  </td>
                  <td>{isRole(k.role) ? t(`role.${k.role}`) : k.role}</td>
                  <td>{k.project === '*' ? t('users.project.all') : k.project}</td>
                  <td>{k.createdBy}</td>
                  <td>{formatDateTime(k.createdAt, locale)}</td>
                  <td>{k.expiresAt !== undefined ? formatDateTime(k.expiresAt, locale) : t('keys.never')}</td>
                  <td>
                    <span className={`status status-${status}`} data-testid="key-status">
                      {t(`keys.status.${status}`)}
                    </span>
                  </td>
                  <td className="admin-actions">
                    {mayRevoke ? (
                      <ConfirmButton
                        label={t('keys.revoke')}
                        question={t('keys.confirmRevoke', { name: k.name })}
                        danger
                        onConfirm={() => void revoke(k)}
                      />
                    ) : null}
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

function CreateKey({
  me,
  onCreated,
  onCancel,
}: {
  me: SessionUser;
  onCreated: (name: string, key: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [project, setProject] = useState('');
  const [expires, setExpires] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const expiresAt = expires === '' ? undefined : fromLocalInput(`${expires}T23:59`);
  const projectOk = me.project !== '*' || project === '' || PROJECT.test(project);
  const ok = name.trim() !== '' && projectOk && (expires === '' || expiresAt !== undefined);

  const submit = async (): Promise<void> => {
    setSaving(true);
    setError(undefined);
    try {
      const r = await createApiKey({
        name: name.trim(),
        role,
        ...(me.project === '*' && project !== '' && { project }),
        ...(expiresAt !== undefined && { expiresAt }),
      });
      onCreated(r.apiKey.name, r.key);
    } catch (err) {
      setError(adminErrorText(err, t('keys.do.create'), t, name));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="admin-form"
      data-testid="create-key"
      onSubmit={(e) => {
        e.preventDefault();
        if (ok) void submit();
      }}
    >
      <h3>{t('keys.create.title')}</h3>
      <label>
        {t('keys.create.name')}
        <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} name="new-key" />
        <span className="hint">{t('keys.create.nameHint')}</span>
      </label>
      <label>
        {t('keys.col.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} name="new-key-role">
          {grantableRoles(me.role).map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {me.project === '*' ? (
        <label>
          {t('users.create.project')}
          <input value={project} onChange={(e) => setProject(e.target.value.trim())} placeholder="*" />
          <span className={projectOk ? 'hint' : 'alarm-error'}>
            {projectOk ? t('users.create.projectHint') : t('users.err.badProject')}
          </span>
        </label>
      ) : null}
      <label>
        {t('keys.create.expires')}
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        <span className="hint">{t('keys.create.expiresHint')}</span>
      </label>
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="admin-form-buttons">
        <button type="submit" className="primary" disabled={saving || !ok}>
          {t('keys.create.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}
