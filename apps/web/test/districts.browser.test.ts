/**
 * The Districts page in a real browser against the mock API: a leaking district stands out,
 * its night-flow chart draws, the meter list filters by status, and quality and data-quality
 * tabs answer. Vite serves the page; Chromium is Debian's.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { startMockApi, type MockApi } from '../dev/mock-api.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'];

let api: MockApi;
let vite: ViteDevServer;
let browser: Browser;
let page: Page;
let baseUrl: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  api = await startMockApi();
  process.env['WATERSHED_API'] = api.url;
  vite = await createServer({
    root: ROOT,
    configFile: `${ROOT}/vite.config.ts`,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await vite.listen();
  const url = vite.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report its URL');
  baseUrl = url;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await vite?.close();
  await api?.close();
});

describe('districts page', () => {
  it('puts the leaking district first with its badge, and draws its night flow', async () => {
    await page.goto(`${baseUrl}#dd=east`);
    await page.getByRole('button', { name: 'Districts', exact: true }).click();
    const cards = page.locator('[data-testid^="district-card-"]');
    await cards.first().waitFor({ timeout: 30_000 });
    expect(await cards.first().getAttribute('data-testid')).toBe('district-card-east');
    expect(await cards.first().locator('[data-testid="leak-badge"]').count()).toBe(1);
    expect(await page.locator('[data-testid="leak-badge"]').count()).toBe(1);
    // The chart is a canvas: it has drawn once ECharts has sized it.
    await page.locator('[data-testid="night-chart"] canvas').first().waitFor({ timeout: 15_000 });
    // The flagged nights are listed in the day table too.
    expect(await page.locator('.district-days tr.is-leak').count()).toBeGreaterThan(0);
    expect(page.url()).toContain('dd=east');
    await page.screenshot({ path: `${ARTIFACTS}/districts-balance.png`, fullPage: true });
  });

  it('filters the meters by status, faults first', async () => {
    await page.locator('[data-testid="district-tab-meters"]').click();
    const table = page.locator('[data-testid="meters-table"]');
    await table.waitFor();
    expect(await table.locator('tbody tr').first().getAttribute('class')).toBe('meter-fault');
    await page.locator('[data-testid="meter-filter-warn"]').click();
    await expect
      .poll(async () =>
        table
          .locator('tbody tr')
          .evaluateAll((rows): string[] => rows.map((r) => (r as HTMLElement).className)),
      )
      .toSatisfy((classes: string[]) => classes.length > 0 && classes.every((c) => c === 'meter-warn'));
    expect(await table.textContent()).toContain('Readings missing');
    expect(page.url()).toContain('dtab=meters');
  });

  it('shows GB 5749 compliance and data quality', async () => {
    await page.locator('[data-testid="district-tab-quality"]').click();
    const quality = page.locator('[data-testid="quality-table"]');
    await quality.waitFor();
    expect(await quality.locator('tbody tr').count()).toBe(3);
    expect(await page.textContent('.quality-tab')).toContain('GB 5749-2022');
    await page.locator('[data-testid="district-tab-dataQuality"]').click();
    await page.locator('[data-testid="dq-table"]').waitFor();
    // Worst score first by default.
    const scores = await page
      .locator('[data-testid="dq-table"] tbody tr td:nth-child(2)')
      .evaluateAll((cells) => cells.map((c) => Number(c.textContent)));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    await page.screenshot({ path: `${ARTIFACTS}/districts-data-quality.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
