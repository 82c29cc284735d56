import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPlatform, type Platform } from '@watershed/cli';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization } from '../support/api.js';

// The console in a real browser (Debian's Chromium) against the whole running platform.
const ROOT = resolve(import.meta.dirname, '../..');
const WEB_ROOT = join(ROOT, 'apps/web/dist');
const ARTIFACTS = join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';

let platform: Platform;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  dataDir = mkdtempSync(join(tmpdir(), 'ws-browser-'));
  platform = await startPlatform({
    dataDir,
    apiPort: 0,
    mqttPort: 0,
    speed: 60,
    seed: 3,
    pollIntervalMs: 500,
    webRoot: WEB_ROOT,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('console in a browser', () => {
  it('shows live values that change and a trend chart, without reloading', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Logged in already: the login page has its own test.
    await page
      .context()
      .addCookies([{ name: 'ws_session', value: await viewerSession(), url: platform.server.apiUrl }]);
    // A pressure carries sensor noise, so its value changes from poll to poll; watch its text
    // change in place on its plant's page (the console lands on the city overview; a link
    // naming a site opens that site's page).
    const points = (await (
      await fetch(`${platform.server.apiUrl}/api/v1/points`, {
        headers: { authorization: await authorization(platform.server) },
      })
    ).json()) as {
      items: { id: string; site: string; quantity?: string }[];
    };
    const pressure = points.items.find((p) => p.quantity === 'pressure');
    expect(pressure).toBeTruthy();
    const id = pressure!.id;
    await page.goto(`${platform.server.apiUrl}/#site=${encodeURIComponent(pressure!.site)}`);
    await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor({ timeout: 30_000 });
    await page.getByTestId('point-row').first().waitFor({ timeout: 30_000 });
    const row = page.locator(`[data-testid="point-row"][data-point-id="${id}"]`);
    const value = row.getByTestId('point-value');
    await expect
      .poll(async () => (await value.textContent())?.trim() ?? '', { timeout: 30_000 })
      .toMatch(/\d/);
    const first = (await value.textContent())?.trim();
    await expect
      .poll(async () => (await value.textContent())?.trim(), { timeout: 30_000, interval: 250 })
      .not.toBe(first);

    await row.click();
    const chart = page.getByTestId('trend-chart');
    await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('logs in as the first admin, must change the one-time password, then sees the console and logs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    mkdirSync(ARTIFACTS, { recursive: true });
    // What `watershed up` points the operator to.
    const initial = readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim();

    await page.goto(`${platform.server.apiUrl}/`);
    const login = page.getByTestId('login-page');
    await login.waitFor({ timeout: 30_000 });
    await login.getByLabel('User name').fill('admin');
    await login.getByLabel('Password', { exact: true }).fill('not the password');
    await login.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByTestId('auth-error').textContent())
      .toMatch(/wrong user name or password/);
    await login.getByLabel('Password', { exact: true }).fill(initial);
    await page.screenshot({ path: join(ARTIFACTS, 'login.png') });
    await login.getByRole('button', { name: 'Sign in' }).click();

    const change = page.getByTestId('change-password-page');
    await change.waitFor({ timeout: 15_000 });
    await change.getByLabel('Current password', { exact: true }).fill(initial);
    await change.getByLabel('New password', { exact: true }).fill('admin');
    await change.getByLabel('Repeat the new password').fill('admin');
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByTestId('auth-error').textContent()).toMatch(/at least 10/i);
    await change.getByLabel('New password', { exact: true }).fill('a control-room passphrase');
    await change.getByLabel('Repeat the new password').fill('a control-room passphrase');
    await page.screenshot({ path: join(ARTIFACTS, 'change-password.png') });
    await change.getByRole('button', { name: 'Change password' }).click();

    await page.getByTestId('point-row').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('account').textContent()).toMatch(/admin/);
    // The live stream, refused while nobody was logged in, is open now.
    await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'logged-in.png') });
    await page.getByTestId('logout').click();
    await login.waitFor({ timeout: 15_000 });
    // The session is over on the server too.
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A console session token of a viewer created straight in the store. */
async function viewerSession(): Promise<string> {
  const { metadata } = platform.server.store;
  const user = await metadata.users.create({
    project: '*',
    name: `viewer-${Math.random().toString(36).slice(2, 8)}`,
    role: 'viewer',
    passwordHash: 'scrypt$1024$8$1$unused$unused',
  });
  return (await metadata.sessions.create({ userId: user.id, ttlMs: 3_600_000 })).token;
}
