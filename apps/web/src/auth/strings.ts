/** The server's policy (console-api auth/password.ts), checked here first for a quick answer. */
export const MIN_PASSWORD_LENGTH = 10;
