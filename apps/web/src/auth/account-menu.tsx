import { useSession } from './session-context.js';
import { AUTH_TEXT as T } from './strings.js';

/** Who is logged in, and the way out: for the header. */
export function AccountMenu() {
  const { me, logout } = useSession();
  return (
    <div className="account" data-testid="account">
      <span className="account-name" title={`${me.user.role} · ${me.user.project}`}>
        {me.user.name}
        <span className="account-role">{me.user.role}</span>
      </span>
      <button type="button" className="pill" data-testid="logout" onClick={() => void logout()}>
        {T.logout}
      </button>
    </div>
  );
}
