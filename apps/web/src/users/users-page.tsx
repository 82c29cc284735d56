import { useState } from 'react';
import { useSession } from '../auth/session-context.js';
import { useT } from '../i18n/i18n-context.js';
import { ApiKeysTab } from './api-keys-tab.js';
import { UsersTab } from './users-tab.js';
import { canManageKeys, canManageUsers, isRole } from './users-logic.js';
import '../alarms/alarms.css';
import './admin.css';

type Tab = 'users' | 'keys';

/**
 * Users and API keys, as far as the API lets the logged-in principal: an admin manages both, an
 * engineer only API keys (the Users tab says why), and viewers and operators are told whom to
 * ask instead of being shown a page of refusals.
 */
export function UsersPage() {
  const t = useT();
  const { me } = useSession();
  const role = me.user.role;
  const users = canManageUsers(role);
  const [tab, setTab] = useState<Tab>(users ? 'users' : 'keys');

  if (!canManageKeys(role)) {
    return (
      <main className="admin-page state-page" data-testid="users-no-access">
        <h2>{t('users.noAccess.title')}</h2>
        <p className="hint">{t('users.noAccess.hint', { role: isRole(role) ? t(`role.${role}`) : role })}</p>
      </main>
    );
  }

  return (
    <main className="admin-page" data-testid="users-page">
      <div className="admin-head">
        <h2>{t('users.title')}</h2>
      </div>
      <div className="tabs" role="tablist">
        {(['users', 'keys'] as const).map((x) => (
          <button key={x} type="button" role="tab" aria-selected={tab === x} onClick={() => setTab(x)}>
            {t(`users.tab.${x}`)}
          </button>
        ))}
      </div>
      {tab === 'users' ? (
        users ? (
          <UsersTab me={me.user} />
        ) : (
          <p className="hint" data-testid="users-admin-only">
            {t('users.adminOnly')}
          </p>
        )
      ) : (
        <ApiKeysTab me={me.user} />
      )}
    </main>
  );
}
