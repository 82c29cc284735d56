/** The login screens' text. The console has no i18n mechanism yet: English only. */
export const AUTH_TEXT = {
  loginTitle: 'Sign in to Watershed',
  name: 'User name',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  changeTitle: 'Choose a new password',
  changeIntro: 'Your password was set by an administrator. Choose your own before you continue.',
  current: 'Current password',
  newPassword: 'New password',
  confirm: 'Repeat the new password',
  change: 'Change password',
  changing: 'Saving…',
  tooShort: (min: number) => `At least ${min} characters.`,
  mismatch: 'The two new passwords differ.',
  logout: 'Log out',
  checking: 'Checking your session…',
  unreachableTitle: 'Cannot reach the Watershed server',
  unreachable: 'Retrying automatically. This page recovers by itself once the server answers.',
} as const;

/** The server's policy (console-api auth/password.ts), checked here first for a quick answer. */
export const MIN_PASSWORD_LENGTH = 10;
