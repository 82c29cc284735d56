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
const pageErrors: string[] = [];

/** The mock routes of these pages in front of the base mock; everything else is passed through. */
async function startFront(target: MockApi): Promise<{ server: Server; url: string }> {
  const explorer = mockExplorer();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (isExplorerRequest(url)) return explorer(req, res, url);
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
