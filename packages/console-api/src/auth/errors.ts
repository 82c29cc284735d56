import { defineError } from '@watershed/common';

export const AuthErrors = {
  UNAUTHENTICATED: defineError(
    'WS_ERR_UNAUTHENTICATED',
    401,
    '%s: log in, or send "Authorization: Bearer <API key>"',
  ),
  FORBIDDEN: defineError('WS_ERR_FORBIDDEN', 403, 'role %s may not do this; it needs %s or above'),
  /** One message for an unknown name, a wrong password and a disabled user: no account probing. */
  BAD_CREDENTIALS: defineError('WS_ERR_AUTH_BAD_CREDENTIALS', 401, 'wrong user name or password'),
  LOCKED: defineError(
    'WS_ERR_AUTH_LOCKED',
    429,
    'too many failed logins for %s from this address; try again in %s minutes',
  ),
  PASSWORD_CHANGE_REQUIRED: defineError(
    'WS_ERR_AUTH_PASSWORD_CHANGE_REQUIRED',
    403,
    'change your password first (POST /api/v1/auth/password): %s',
  ),
  WEAK_PASSWORD: defineError('WS_ERR_AUTH_WEAK_PASSWORD', 400, 'password refused: %s'),
  WRONG_PASSWORD: defineError('WS_ERR_AUTH_WRONG_PASSWORD', 400, 'the current password is wrong'),
  NOT_A_USER: defineError('WS_ERR_AUTH_NOT_A_USER', 400, '%s is only for users that log in, not API keys'),
} as const;
