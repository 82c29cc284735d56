import { useSession } from './session-context.js';
import { useT } from '../i18n/i18n-context.js';
import { tOr } from '../i18n/translate.js';

/** Who is logged in, and the way out: for the header. */
export function AccountMenu() {
  const { me, logout } = useSession();
  const t = useT();
  return (
    <div className="account" data-testid="account">
      <span
        className="account-name"
        title={`${tOr(t, `role.${me.user.role}`, me.user.role)} · ${me.user.project}`}
      >
        {me.user.name}
        <span className="account-role">{tOr(t, `role.${me.user.role}`, me.user.role)}</span>
      </span>
      <button type="button" className="pill" data-testid="logout" onClick={() => void logout()}>
        {t('auth.logout')}
      </button>
    </div>
  );
}
