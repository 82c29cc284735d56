import { defineError } from '@watershed/common';

export const UserErrors = {
  NOT_FOUND: defineError('WS_ERR_USERS_NOT_FOUND', 404, '%s %s not found'),
  LAST_ADMIN: defineError(
    'WS_ERR_USERS_LAST_ADMIN',
    409,
    '%s is the last enabled installation-wide admin: make another admin first',
  ),
  ROLE_TOO_HIGH: defineError('WS_ERR_USERS_ROLE_TOO_HIGH', 403, 'a %s may not grant the role %s'),
  OTHER_PROJECT: defineError(
    'WS_ERR_USERS_OTHER_PROJECT',
    403,
    'a principal of project %s may not assign project %s',
  ),
  BAD_PROJECT: defineError(
    'WS_ERR_USERS_BAD_PROJECT',
    400,
    'project %s: expected "<organisation>/<project>" (letters, digits, . _ -) or "*"',
  ),
} as const;
