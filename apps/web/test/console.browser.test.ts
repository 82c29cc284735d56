/**
 * The console in a real browser against the mock API: what an operator sees and does —
 * live values, quality marks, trends, comparison, keyboard use, and riding out a server
 * outage without a reload. Vite serves the page; Chromium is Debian's.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { startMockApi, type MockApi } from '../dev/mock-api.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
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

let api: MockApi;
let vite: ViteDevServer;
let browser: Browser;
let page: Page;
let baseUrl: string;
const pageErrors: string[] = [];

const row = (id: string): string => `[data-testid="point-row"][data-point-id="${id}"]`;
const value = async (id: string): Promise<string | null> =>
  page.textContent(`${row(id)} [data-testid="point-value"]`);

beforeAll(async () => {
  api = await startMockApi();
  process.env['WATERSHED_API'] = api.url;
  vite = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    // The outage test makes the proxy fail on purpose; its complaints are expected.
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report its URL');
  baseUrl = url;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await api?.close();
});

describe('console', () => {
  it('lists the plant’s points in sections with live, formatted values', async () => {
    await page.goto(`${baseUrl}#site=north&range=15m`);
    await page.waitForSelector('[data-testid="live-status"][data-status="live"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="live-status"]')).toBe('live');
    expect(await page.locator('[data-testid="point-row"]').count()).toBe(21);
    const groups = await page
      .locator('[data-testid="point-group"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['group']));
    expect(groups).toEqual(['pumps', 'tanks', 'flows', 'pressures', 'quality', 'setpoints']);
    expect(['Running', 'Stopped']).toContain(await value('north.plc1.pumps.p1_run'));
    expect(await value('north.plc1.setpoints.p_sp')).toBe('4.50');

    // The inlet flow jitters every second in the mock: the stream must move it without a reload.
    const first = await value('north.rtu2.network.inlet_flow');
    await expect.poll(() => value('north.rtu2.network.inlet_flow'), { timeout: 10_000 }).not.toBe(first);
  });

  it('marks uncertain values, with the reason on hover', async () => {
    const cond = row('north.ana1.quality.cond_out');
    expect(await page.getAttribute(cond, 'data-quality')).toBe('uncertain');
    expect(await page.getAttribute(`${cond} [data-testid="point-quality"]`, 'title')).toBe(
      'sensor calibration overdue',
    );
  });

  it('plots a clicked point and overlays a Ctrl-clicked one', async () => {
    await page.click(row('north.rtu2.network.discharge_p'));
    await page.click(row('north.rtu2.network.outlet_flow'), { modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="trend-chart"] canvas', { timeout: 15_000 });
    expect(await page.evaluate(() => location.hash)).toBe(
      '#site=north&points=north.rtu2.network.discharge_p,north.rtu2.network.outlet_flow&range=15m',
    );
    expect(await page.getAttribute(row('north.rtu2.network.outlet_flow'), 'aria-selected')).toBe('true');
    await page.click('[data-testid="range-1h"]');
    expect(await page.getAttribute('[data-testid="range-1h"]', 'aria-checked')).toBe('true');
  });

  it('filters by search and by problems, and is usable from the keyboard', async () => {
    await page.keyboard.press('Escape');
    await page.focus('[role="listbox"]');
    await page.keyboard.press('/');
    await page.keyboard.type('chlorine');
    expect(await page.locator('[data-testid="point-row"]').count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => location.hash))
      .toContain('points=north.ana1.quality.cl_out&');
    await page.fill('[data-testid="point-search"]', '');
    await page.focus('[role="listbox"]');
    await page.keyboard.press('4');
    expect(await page.getAttribute('[data-testid="range-24h"]', 'aria-checked')).toBe('true');

    await page.click('[data-testid="problems-filter"]');
    const shown = await page
      .locator('[data-testid="point-row"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['quality']));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((q) => q === 'bad' || q === 'uncertain')).toBe(true);
    await page.click('[data-testid="problems-filter"]');
  });

  it('lists the server’s components in the health panel', async () => {
    await page.click('[data-testid="health-status"]');
    await page.waitForSelector('[data-testid="health-component"]');
    const names = await page
      .locator('[data-testid="health-component"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['component']));
    expect(names).toContain('broker');
  });

  it('shows an outage plainly and recovers by itself when the server is back', async () => {
    const port = api.port;
    await api.close();
    await page.waitForSelector('[data-testid="connection-banner"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="live-status"]')).toBe('reconnecting');

    api = await startMockApi({ port });
    await page.waitForSelector('[data-testid="live-status"][data-status="live"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="connection-banner"]', { state: 'detached', timeout: 5000 });
    const before = await value('north.rtu2.network.inlet_flow');
    await expect.poll(() => value('north.rtu2.network.inlet_flow'), { timeout: 10_000 }).not.toBe(before);
    expect(pageErrors).toEqual([]);
  });

  it('opens with the server down, says so, and fills in once it answers', async () => {
    const port = api.port;
    await api.close();
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await fresh.goto(`${baseUrl}#site=north`);
      await fresh.waitForSelector('[data-testid="load-error"]', { timeout: 15_000 });
      expect(await fresh.textContent('[data-testid="load-error"]')).toContain(
        'Cannot reach the Watershed server',
      );
      api = await startMockApi({ port });
      await fresh.waitForSelector('[data-testid="point-row"]', { timeout: 30_000 });
      await fresh.waitForSelector('[data-testid="live-status"][data-status="live"]', { timeout: 30_000 });
      expect(await fresh.$('[data-testid="load-error"]')).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});
