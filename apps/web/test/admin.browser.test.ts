/**
 * The Data explorer, Users and Audit pages in a real browser (Debian's Chromium) against the
 * dev mock: the base mock (mock-api.ts) for points, live values and health, with the explorer's
 * tiered history (mock-explorer.ts) and the admin resources (mock-admin.ts) answered in front of
 * it. Vite serves the page; screenshots go to test-results/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer as createVite, type ViteDevServer } from 'vite';
import { startMockApi, type MockApi } from '../dev/mock-api.js';
import { ADMIN_ROUTE, mockAdmin } from '../dev/mock-admin.js';
import { isExplorerRequest, mockExplorer } from '../dev/mock-explorer.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let base: MockApi;
let front: Server;
let vite: ViteDevServer;
let browser: Browser;
let page: Page;
let baseUrl: string;
/** Who the admin mock says is logged in; the role tests swap it. */
let adminRoutes = mockAdmin();
const pageErrors: string[] = [];

/** The mock routes of these pages in front of the base mock; everything else is passed through. */
async function startFront(target: MockApi): Promise<{ server: Server; url: string }> {
  const explorer = mockExplorer();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (isExplorerRequest(url)) return explorer(req, res, url);
    if (ADMIN_ROUTE.test(url.pathname)) return adminRoutes(req, res, url);
    const up = request(
      { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  base = await startMockApi();
  const f = await startFront(base);
  front = f.server;
  process.env['WATERSHED_API'] = f.url;
  vite = await createVite({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report its URL');
  baseUrl = url;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  if (front) {
    front.closeAllConnections();
    await new Promise((r) => front.close(r));
  }
  await base?.close();
});

describe('data explorer', () => {
  const flow = 'north.rtu2.network.outlet_flow';
  const pressure = 'north.rtu2.network.discharge_p';

  it('opens from a shared link with its points, range and resolution, and draws them', async () => {
    await page.goto(`${baseUrl}#page=explorer&xp=${flow},${pressure}&xr=24h&xres=15m`);
    await page.waitForSelector('[data-testid="explorer-page"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="explorer-chart"] canvas', { timeout: 30_000 });
    expect(await page.isChecked(`[data-point="${flow}"]`)).toBe(true);
    expect(await page.isChecked(`[data-point="${pressure}"]`)).toBe(true);
    expect(await page.inputValue('[data-testid="explorer-resolution"]')).toBe('15m');
    // The address bar keeps the shared view (StrictMode's trial unmount must not strip it).
    expect(await page.evaluate(() => window.location.hash)).toBe(
      `#page=explorer&xp=${flow},${pressure}&xr=24h&xres=15m`,
    );
    await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, null, {
      timeout: 15_000,
    });
    await page.screenshot({ path: `${ARTIFACTS}explorer-chart.png` });
    expect(pageErrors).toEqual([]);
  });

  it('searches, adds a point, switches to the table and keeps it all in the URL', async () => {
    await page.fill('[data-testid="explorer-search"]', 'north turbidity');
    const found = await page
      .locator('[data-testid="explorer-points"] input')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).dataset['point']));
    expect(found.length).toBeGreaterThan(0);
    const turb = found[0] ?? '';
    await page.check(`[data-point="${turb}"]`);
    await page.click('button:has-text("Table")');
    await page.waitForSelector('[data-testid="explorer-table"] tbody tr');
    const heads = await page.locator('[data-testid="explorer-table"] th').count();
    expect(heads).toBe(4); // time + three points
    const hash = await page.evaluate(() => window.location.hash);
    expect(hash).toContain(`xp=${flow},${pressure},${turb}`);
    expect(hash).toContain('xview=table');
    await page.screenshot({ path: `${ARTIFACTS}explorer-table.png` });
  });

  it('exports the shown points as one CSV built in the browser', async () => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="explorer-export"]'),
    ]);
    const path = await dl.path();
    const csv = readFileSync(path, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('point,ts,time,count,bad,numeric,min,max,avg,last,last_ts,last_quality');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(3);
    expect(dl.suggestedFilename()).toMatch(/^3-points_15m_.*\.csv$/);
  });
});

const nav = async (name: string): Promise<void> => {
  await page.click(`nav.page-nav button:has-text("${name}")`);
};
const userRow = (name: string) => `[data-testid="users-table"] tr[data-user="${name}"]`;

describe('users', () => {
  it('lists users with role, project, status and last login', async () => {
    await nav('Users');
    await page.waitForSelector(userRow('lin.wei'));
    expect(await page.locator('[data-testid="users-table"] tbody tr').count()).toBe(3);
    expect(await page.inputValue(`${userRow('lin.wei')} [data-testid="user-role"]`)).toBe('engineer');
    expect(await page.textContent(`${userRow('lin.wei')} [data-testid="user-status"]`)).toBe('active');
    // lin.wei logged in an hour ago; ops.night never did (every login is in the mock's log).
    expect(await page.textContent(`${userRow('ops.night')} td:nth-child(5)`)).toBe('never');
    expect(await page.textContent(`${userRow('lin.wei')} td:nth-child(5)`)).not.toBe('never');
  });

  it('creates a user and shows the generated one-time password once', async () => {
    await page.click('button:has-text("New user")');
    await page.fill('[data-testid="create-user"] input[name="new-user"]', 'zhang.san');
    await page.selectOption('[data-testid="create-user"] select[name="new-user-role"]', 'operator');
    await page.fill('[data-testid="create-user"] input[name="new-user-project"]', 'city/north');
    await page.click('[data-testid="create-user"] button[type="submit"]');
    const secret = await page.waitForSelector('[data-testid="secret-value"]');
    expect((await secret.textContent())?.length).toBe(18);
    await page.waitForSelector(userRow('zhang.san'));
    expect(await page.textContent(`${userRow('zhang.san')} [data-testid="user-status"]`)).toBe(
      'must change password',
    );
    await page.screenshot({ path: `${ARTIFACTS}users.png` });
    await page.click('[data-testid="secret-once"] button:has-text("Close")');
    expect(await page.locator('[data-testid="secret-once"]').count()).toBe(0);
  });

  it('explains why the last installation admin cannot be demoted', async () => {
    await page.selectOption(`${userRow('admin')} [data-testid="user-role"]`, 'viewer');
    const msg = await page.waitForSelector('[data-testid="users-error"]');
    expect(await msg.textContent()).toBe(
      'admin is the last enabled admin of the whole installation. Make another user an installation admin first.',
    );
    // The list reloads: the role shown is still the real one.
    await expect.poll(() => page.inputValue(`${userRow('admin')} [data-testid="user-role"]`)).toBe('admin');
  });

  it('disables a user after asking, and enables them again', async () => {
    await page.click(`${userRow('ops.night')} button:has-text("Disable")`);
    await page.click(`${userRow('ops.night')} .confirm button:has-text("Disable")`);
    await expect
      .poll(() => page.textContent(`${userRow('ops.night')} [data-testid="user-status"]`))
      .toBe('disabled');
    await page.click(`${userRow('ops.night')} button:has-text("Enable")`);
    await expect
      .poll(() => page.textContent(`${userRow('ops.night')} [data-testid="user-status"]`))
      .toBe('active');
  });

  it('creates an API key shown once, and revokes one', async () => {
    await page.click('[role="tab"]:has-text("API keys")');
    await page.waitForSelector('[data-testid="keys-table"] tr[data-key="SCADA historian export"]');
    await page.click('button:has-text("New API key")');
    await page.fill('[data-testid="create-key"] input[name="new-key"]', 'leak model');
    await page.click('[data-testid="create-key"] button[type="submit"]');
    const secret = await page.waitForSelector('[data-testid="secret-value"]');
    expect(await secret.textContent()).toMatch(/^wsk_[0-9a-f]{8}_/);
    const row = '[data-testid="keys-table"] tr[data-key="SCADA historian export"]';
    await page.click(`${row} button:has-text("Revoke")`);
    await page.click(`${row} .confirm button:has-text("Revoke")`);
    await expect.poll(() => page.textContent(`${row} [data-testid="key-status"]`)).toBe('revoked');
    await page.screenshot({ path: `${ARTIFACTS}api-keys.png` });
  });
});

describe('audit', () => {
  it('pages through the log with load more', async () => {
    await nav('Audit');
    await page.waitForSelector('[data-testid="audit-table"]');
    expect(await page.locator('[data-testid="audit-row"]').count()).toBe(100);
    expect(await page.textContent('[data-testid="audit-count"]')).toBe('Loaded: 100 (more available)');
    await page.click('[data-testid="audit-more"]');
    await expect.poll(() => page.locator('[data-testid="audit-row"]').count()).toBeGreaterThan(100);
    expect(await page.locator('[data-testid="audit-more"]').count()).toBe(0);
  });

  it('filters by action and shows before → after of a change', async () => {
    await page.fill('[data-testid="audit-filters"] input[name="action"]', 'user.update');
    await page.click('[data-testid="audit-filters"] button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="audit-row"]').count()).toBe(2); // disable, enable
    await page.locator('[data-testid="audit-row"] button.audit-toggle').last().click();
    const changed = page.locator('[data-testid="audit-diff"] tr[data-kind="changed"]');
    const texts = await changed.allTextContents();
    expect(texts.some((x) => x.startsWith('disabled') && x.includes('false→true'))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}audit.png` });
  });

  it('finds text within loaded entries and exports the filtered log as CSV', async () => {
    await page.fill('[data-testid="audit-text"]', 'ops.night');
    expect(await page.textContent('[data-testid="audit-count"]')).toBe(
      '2 of 2 loaded entries contain “ops.night”',
    );
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="audit-export-csv"]'),
    ]);
    const csv = readFileSync(await dl.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('seq,at,time,actor,action,resource,project,from,before,after');
    expect(csv.slice(1).every((l) => l.includes(',user.update,'))).toBe(true);
    expect(csv).toHaveLength(3);
    expect(pageErrors).toEqual([]);
  });
});

describe('in Chinese', () => {
  it('names the three pages and their content in Chinese', async () => {
    await page.click('[data-testid="lang-switch"] button:has-text("中文")');
    expect(await page.textContent('[data-testid="audit-page"] h2')).toBe('审计日志');
    await nav('用户');
    expect(await page.textContent('[data-testid="users-page"] h2')).toBe('用户与访问');
    // The explorer comes back as it was left: three points, in the table.
    await nav('数据浏览');
    await page.waitForSelector('[data-testid="explorer-table"] tbody tr');
    expect(await page.locator('[data-testid="explorer-table"] th').count()).toBe(4);
    expect(await page.textContent('[data-testid="explorer-page"] h2')).toBe('数据浏览');
    expect(await page.textContent('[data-testid="explorer-export"]')).toBe('导出 CSV');
    await page.screenshot({ path: `${ARTIFACTS}explorer-zh.png` });
    await page.click('[data-testid="lang-switch"] button:has-text("EN")');
  });
});

describe('by role', () => {
  it('shows an engineer the API keys only, and a viewer whom to ask', async () => {
    adminRoutes = mockAdmin({ id: 'u2', name: 'lin.wei', role: 'engineer', project: 'city/north' });
    await page.goto(baseUrl);
    await nav('Users');
    await page.waitForSelector('[data-testid="keys-tab"]');
    await page.click('[role="tab"]:has-text("Users")');
    expect(await page.textContent('[data-testid="users-admin-only"]')).toBe(
      'Only admins manage users. You can manage API keys.',
    );
    await nav('Audit');
    await page.waitForSelector('[data-testid="audit-table"]');

    adminRoutes = mockAdmin({ id: 'u3', name: 'ops.night', role: 'viewer', project: 'city/north' });
    await page.goto(baseUrl);
    await nav('Users');
    expect(await page.textContent('[data-testid="users-no-access"] p')).toBe(
      'Your role is viewer. Ask an admin if you need an account or an API key.',
    );
    await nav('Audit');
    await page.waitForSelector('[data-testid="audit-no-access"]');
    expect(pageErrors).toEqual([]);
  });
});
