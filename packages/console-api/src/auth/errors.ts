import { defineError } from '@watershed/common';

export const AuthErrors = {
  UNAUTHENTICATED: defineError(
    'WS_ERR_UNAUTHENTICATED',
    401,
    '%s: log in, or send "Authorization: Bearer <API key>"',
  ),
  FORBIDDEN: defineError('WS_ERR_FORBIDDEN', 403, 'role %s may not do this; it needs %s or above'),
} as const;
