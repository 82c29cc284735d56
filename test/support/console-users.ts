import type { Page } from 'playwright-core';

/** Console users for end-to-end tests: real logins through the API and through the login page. */

/** Logs in through the API; answers the `cookie` header of the new session. */
export async function apiLogin(apiUrl: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${name} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ws_session='));
  if (!cookie) throw new Error(`login of ${name} set no ws_session cookie`);
  return cookie.split(';')[0]!;
}

/** A JSON request with a session cookie; answers status and parsed body. */
export async function apiCall<T = unknown>(
  apiUrl: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * The first admin, as an operator finds it after `watershed up`: logs in with the one-time
 * password, changes it (required before anything else), and answers the session cookie.
 */
export async function firstAdminSession(apiUrl: string, initialPassword: string): Promise<string> {
  const cookie = await apiLogin(apiUrl, 'admin', initialPassword);
  const changed = await apiCall(apiUrl, cookie, 'POST', '/auth/password', {
    current: initialPassword,
    new: 'an e2e admin passphrase',
  });
  if (changed.status >= 300) throw new Error(`admin password change answered ${changed.status}`);
  return cookie;
}

/** Creates a user through the admin API with a known one-time password. */
export async function createUser(
  apiUrl: string,
  adminCookie: string,
  user: {
    name: string;
    role: 'viewer' | 'operator' | 'engineer' | 'admin';
    project: string;
    password: string;
  },
): Promise<void> {
  const r = await apiCall(apiUrl, adminCookie, 'POST', '/users', user);
  if (r.status !== 200)
    throw new Error(`creating ${user.name} answered ${r.status}: ${JSON.stringify(r.body)}`);
}

/**
 * Logs in on the console's login page with a one-time password, changes it on the page the
 * console then shows, and waits for the console itself.
 */
export async function browserLogin(
  page: Page,
  apiUrl: string,
  name: string,
  oneTimePassword: string,
  newPassword: string,
): Promise<void> {
  await page.goto(`${apiUrl}/`);
  const login = page.getByTestId('login-page');
  await login.waitFor({ timeout: 30_000 });
  await login.getByLabel('User name').fill(name);
  await login.getByLabel('Password', { exact: true }).fill(oneTimePassword);
  await login.getByRole('button', { name: 'Sign in' }).click();
  const change = page.getByTestId('change-password-page');
  await change.waitFor({ timeout: 15_000 });
  await change.getByLabel('Current password', { exact: true }).fill(oneTimePassword);
  await change.getByLabel('New password', { exact: true }).fill(newPassword);
  await change.getByLabel('Repeat the new password').fill(newPassword);
  await change.getByRole('button', { name: 'Change password' }).click();
  await page.getByTestId('account').filter({ hasText: name }).waitFor({ timeout: 30_000 });
  // The live stream, refused while nobody was logged in, reconnects with the new session.
  await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor({ timeout: 30_000 });
}
