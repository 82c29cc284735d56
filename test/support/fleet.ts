import type { Locator, Page } from 'playwright-core';
import { waitFor } from '@watershed/common/testing';
import { expect } from 'vitest';
import { apiCall, apiLogin, createUser } from './console-users.js';

/** Fleet helpers for end-to-end tests: the console API's gateway views and the Fleet page. */

export interface GatewayView {
  id: string;
  project: string;
  site: string;
  node: string;
  name: string;
  status: {
    online: boolean;
    configVersion?: number;
    report?: { devices: Record<string, { state: string }> };
    lastAck?: { version: number; result: string };
  };
}

export interface ConfigVersionView {
  version: number;
  checksum: string;
  author: string;
  ack?: { ok: boolean; detail?: string };
  config: { devices: DeviceConfig[] };
}

export interface DeviceConfig {
  name: string;
  driver: string;
  config: Record<string, unknown>;
  groups: { name: string; intervalMs: number; tags: TagConfig[] }[];
}

export interface TagConfig {
  name: string;
  address: string;
  dataType: string;
  unit?: string;
  writable?: boolean;
  [more: string]: unknown;
}

/** The gateway registered for `node`, with its live status, once the console lists it. */
export async function gatewayOf(apiUrl: string, cookie: string, node: string): Promise<GatewayView> {
  const found = await waitFor(
    async () => {
      const list = await apiCall<{ items: GatewayView[] }>(apiUrl, cookie, 'GET', '/gateways');
      return list.body.items?.find((g) => g.node === node);
    },
    { timeoutMs: 30_000, intervalMs: 250, message: `gateway ${node} is not registered in the fleet` },
  );
  return (await apiCall<GatewayView>(apiUrl, cookie, 'GET', `/gateways/${found.id}`)).body;
}

/** Waits until the gateway is online and reports running config `version`; answers its detail. */
export async function runningVersion(
  apiUrl: string,
  cookie: string,
  id: string,
  version: number,
  timeout = 30_000,
): Promise<GatewayView> {
  return waitFor(
    async () => {
      const detail = (await apiCall<GatewayView>(apiUrl, cookie, 'GET', `/gateways/${id}`)).body;
      return detail.status.online && detail.status.configVersion === version && detail;
    },
    { timeoutMs: timeout, intervalMs: 250, message: `gateway ${id} did not come to run config v${version}` },
  );
}

export async function configVersion(
  apiUrl: string,
  cookie: string,
  id: string,
  version: number,
): Promise<ConfigVersionView> {
  const r = await apiCall<ConfigVersionView>(apiUrl, cookie, 'GET', `/gateways/${id}/configs/${version}`);
  if (r.status !== 200) throw new Error(`config v${version} of ${id} answered ${r.status}`);
  return r.body;
}

/** Opens the Fleet page and the panel of gateway `site.node`. */
export async function openGateway(page: Page, site: string, node: string): Promise<Locator> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Fleet' }).click();
  const fleet = page.getByTestId('fleet-page');
  await fleet.waitFor({ timeout: 15_000 });
  await fleet.getByRole('button', { name: `${site}.${node}`, exact: true }).click();
  const panel = page.getByTestId('gateway-panel');
  await panel.waitFor({ timeout: 15_000 });
  return panel;
}

/**
 * Writes a tag on the open gateway panel through the form and its confirm step; answers the
 * line the panel shows afterwards (the gateway's answer, or the refusal).
 */
export async function writeInPanel(panel: Locator, tag: string, value: string): Promise<string> {
  const form = panel.locator('.tag-write');
  await form.getByLabel('Tag (group.tag)').fill(tag);
  await form.getByLabel('Value').fill(value);
  await form.getByRole('button', { name: 'Write…' }).click();
  const confirm = form.getByRole('alertdialog', { name: 'Confirm write' });
  await expect.poll(() => confirm.textContent()).toContain(tag);
  await confirm.getByRole('button', { name: 'Confirm write' }).click();
  const answer = form.locator('[role="status"], [role="alert"]');
  await answer.first().waitFor({ timeout: 20_000 });
  return (await answer.first().textContent()) ?? '';
}

/** Logs in on the console's login page with a password already set; waits for the console. */
export async function signIn(page: Page, apiUrl: string, name: string, password: string): Promise<void> {
  await page.goto(`${apiUrl}/`);
  const login = page.getByTestId('login-page');
  await login.waitFor({ timeout: 30_000 });
  await login.getByLabel('User name').fill(name);
  await login.getByLabel('Password', { exact: true }).fill(password);
  await login.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('account').filter({ hasText: name }).waitFor({ timeout: 30_000 });
}

/**
 * A console user of `role` in `project` whose one-time password is already changed (through
 * the API), so a browser test signs in once without the change-password page; answers the
 * password and an API session cookie.
 */
export async function readyUser(
  apiUrl: string,
  adminCookie: string,
  user: { name: string; role: 'viewer' | 'operator' | 'engineer' | 'admin'; project: string },
): Promise<{ password: string; cookie: string }> {
  const once = `one-time-${user.name}`;
  const password = `a ${user.role} passphrase for ${user.name}`;
  await createUser(apiUrl, adminCookie, { ...user, password: once });
  const first = await apiLogin(apiUrl, user.name, once);
  const changed = await apiCall(apiUrl, first, 'POST', '/auth/password', { current: once, new: password });
  if (changed.status >= 300) throw new Error(`password change of ${user.name} answered ${changed.status}`);
  return { password, cookie: await apiLogin(apiUrl, user.name, password) };
}
