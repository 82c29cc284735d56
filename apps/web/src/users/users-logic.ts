import { HttpError } from '../alarms/http.js';
import { actionErrorText } from '../alarms/http.js';
import type { Translate } from '../i18n/translate.js';
import { ROLES, type ApiKeyView, type Role, type UserView } from './users-api.js';

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/** viewer < operator < engineer < admin, as console-api auth/access.ts orders them. */
export function roleAtLeast(have: string, need: Role): boolean {
  return isRole(have) && ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** The roles a principal may hand out: nobody grants more than they have (console-api checkGrant). */
export function grantableRoles(mine: string): Role[] {
  return ROLES.filter((r) => roleAtLeast(mine, r));
}

/** Users are the admins' business; API keys the engineers' and up (console-api users/*-routes). */
export function canManageUsers(role: string): boolean {
  return roleAtLeast(role, 'admin');
}
export function canManageKeys(role: string): boolean {
  return roleAtLeast(role, 'engineer');
}

export type UserStatus = 'disabled' | 'must-change' | 'active';

export function userStatus(u: Pick<UserView, 'disabled' | 'mustChangePassword'>): UserStatus {
  if (u.disabled) return 'disabled';
  return u.mustChangePassword ? 'must-change' : 'active';
}

export type KeyStatus = 'revoked' | 'expired' | 'active';

export function keyStatus(k: Pick<ApiKeyView, 'revokedAt' | 'expiresAt'>, now: number): KeyStatus {
  if (k.revokedAt !== undefined) return 'revoked';
  return k.expiresAt !== undefined && k.expiresAt <= now ? 'expired' : 'active';
}

/** Usable keys first, then newest first: revoked ones stay listed (for the record) but below. */
export function sortKeys(keys: readonly ApiKeyView[], now: number): ApiKeyView[] {
  const rank = (k: ApiKeyView) => (keyStatus(k, now) === 'active' ? 0 : 1);
  return [...keys].sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);
}

/** Enabled users first, then by name, so the people who can log in are the list's top. */
export function sortUsers(users: readonly UserView[]): UserView[] {
  return [...users].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.name.localeCompare(b.name));
}

export interface LastLogins {
  at: ReadonlyMap<string, number>;
  /** Every login is in `at`: a user absent from it never logged in (else: not known). */
  complete: boolean;
}

/**
 * Last login per user name from the audit log's newest-first `session.login` entries. When the
 * page of entries was full, older logins may exist, so an absent user is unknown, not "never".
 */
export function lastLoginsFrom(entries: readonly { actor: string; at: number }[], limit: number): LastLogins {
  const at = new Map<string, number>();
  for (const e of entries) if (!at.has(e.actor)) at.set(e.actor, e.at);
  return { at, complete: entries.length < limit };
}

/** console-api users/schemas.ts UserCreate.name. */
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** console-api users/projects.ts: `<organisation>/<project>` or `*`. */
export const PROJECT = /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
/** console-api auth/password.ts MIN_PASSWORD_LENGTH. */
export const MIN_PASSWORD = 10;

/**
 * A failed users/API-keys action in the page's words. The API's refusals that a person can act
 * on (the last admin, a role above one's own, another project, a weak password, a taken name)
 * are explained; anything else falls back to the console's general wording.
 */
export function adminErrorText(err: unknown, action: string, t: Translate, subject = ''): string {
  if (err instanceof HttpError) {
    switch (err.code) {
      case 'WS_ERR_USERS_LAST_ADMIN':
        return t('users.err.lastAdmin', { name: subject });
      case 'WS_ERR_USERS_ROLE_TOO_HIGH':
        return t('users.err.roleTooHigh');
      case 'WS_ERR_USERS_OTHER_PROJECT':
        return t('users.err.otherProject');
      case 'WS_ERR_USERS_BAD_PROJECT':
        return t('users.err.badProject');
      case 'WS_ERR_AUTH_WEAK_PASSWORD':
        return t('users.err.weakPassword', { min: MIN_PASSWORD });
      case 'WS_ERR_STORE_DUPLICATE':
        return t('users.err.duplicate', { name: subject });
      case 'WS_ERR_USERS_NOT_FOUND':
        return t('err.notFound', { action });
      default:
        break;
    }
  }
  return actionErrorText(err, action, undefined, t);
}
