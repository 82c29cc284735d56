import { defineError } from '@watershed/common';

export const OidcErrors = {
  DISABLED: defineError(
    'WS_ERR_OIDC_DISABLED',
    404,
    'single sign-on is not configured (console.oidc in the server config)',
  ),
  UNREACHABLE: defineError('WS_ERR_OIDC_UNREACHABLE', 502, 'the identity provider at %s did not answer: %s'),
  PROVIDER: defineError('WS_ERR_OIDC_PROVIDER', 502, 'the identity provider refused the %s step: %s'),
  TOKEN: defineError('WS_ERR_OIDC_TOKEN', 401, 'the identity provider’s ID token was not accepted: %s'),
  STATE: defineError(
    'WS_ERR_OIDC_STATE',
    400,
    'this sign-in is unknown or expired (%s); start it again from the login page',
  ),
  REFUSED: defineError(
    'WS_ERR_OIDC_REFUSED',
    403,
    'signed in at the identity provider, but not allowed here: %s',
  ),
} as const;
