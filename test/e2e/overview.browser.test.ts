import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, firstAdminSession } from '../support/console-users.js';
import { startPlatform, type Platform } from '@watershed/cli';

// Issue 8's city overview in a real browser (Debian's Chromium) against the whole platform as
// `watershed up` starts it: the default city (EPANET Net3 as one plant), its gateway polling
// over Modbus TCP, the server with its map of the simulated city. The overview is the landing
// page; its live values move with the stream, its KPIs follow an alarm raised mid-test, and a
// click on a site opens that site's plant page.
const ROOT = resolve(import.meta.dirname, '../..');
const WEB_ROOT = join(ROOT, 'apps/web/dist');
const ARTIFACTS = join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const PROJECT = 'default/default';
/** A far end of Net3's district: the service pressure the overview shows beside the plant. */
const PRESSURE = 'net3.net3-plant.process.FAR_END_PRESS';

interface Kpis {
  supply: { volumeM3: number | null; points: string[] };
  pressure: { total: number };
  alarms: { active: number; bySeverity: Record<string, number> };
  completeness: { total: number; within: number };
  sites: { key: string; keyPoints: { id: string; quantity?: string }[] }[];
}

let platform: Platform;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
let admin: string;
let apiUrl: string;

beforeAll(async () => {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build -w @watershed/web` first');
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ws-overview-e2e-'));
  platform = await startPlatform({
    dataDir,
    apiPort: 0,
    mqttPort: 0,
    webRoot: WEB_ROOT,
    pollIntervalMs: 500,
  });
  apiUrl = platform.server.apiUrl;
  admin = await firstAdminSession(
    apiUrl,
    readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim(),
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const [name, value] = admin.split('=') as [string, string];
  await context.addCookies([{ name, value, url: apiUrl }]);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await platform?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openOverview(): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${apiUrl}/`);
  await page.getByTestId('overview-page').waitFor({ timeout: 30_000 });
  return { page, errors };
}

describe('the city overview in a browser', () => {
  it('serves the map of the simulated city with an ETag, and KPIs of its plant', async () => {
    const map = await fetch(`${apiUrl}/api/v1/overview/map`, { headers: { cookie: admin } });
    expect(map.status).toBe(200);
    const body = (await map.json()) as {
      configured: boolean;
      features: { properties: { kind: string; key?: string } }[];
    };
    expect(body.configured).toBe(true);
    expect(body.features.filter((f) => f.properties.kind === 'pipe').length).toBeGreaterThan(50);
    expect(body.features.find((f) => f.properties.kind === 'site')?.properties.key).toBe('net3');
    const again = await fetch(`${apiUrl}/api/v1/overview/map`, {
      headers: { cookie: admin, 'if-none-match': map.headers.get('etag')! },
    });
    expect(again.status).toBe(304);

    // Once the gateway has reported a few polls, every KPI has something to count.
    let k: Kpis | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      k = (await apiCall<Kpis>(apiUrl, admin, 'GET', '/overview')).body;
      if (k.pressure.total > 0 && k.completeness.within > 0 && (k.supply.volumeM3 ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // Net3's two pumps are its outlets (no flow meter): each counted once.
    expect([...k!.supply.points].sort()).toEqual([
      'net3.net3-plant.process.P10_FLOW',
      'net3.net3-plant.process.P335_FLOW',
    ]);
    expect(k!.supply.volumeM3).toBeGreaterThan(0);
    expect(k!.pressure.total).toBeGreaterThan(0);
    expect(k!.sites.map((s) => s.key)).toEqual(['net3']);
    expect(k!.sites[0]!.keyPoints.find((p) => p.quantity === 'pressure')?.id).toBe(PRESSURE);
  });

  it('lands on the overview, draws the network and shows live values changing', async () => {
    const { page, errors } = await openOverview();
    const nav = page.getByRole('navigation', { name: 'Pages' }).getByRole('button');
    expect(await nav.first().textContent()).toBe('Overview');
    await page.locator('[data-testid="overview-map"] canvas').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('kpi-supply-value').filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor({ timeout: 30_000 });
    const value = page.locator(
      `[data-testid="point-row"][data-point-id="${PRESSURE}"] [data-testid="point-value"]`,
    );
    await value.filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    const first = await value.textContent();
    // The simulated transmitter has noise and the gateway polls every 0.5 s: the value moves.
    await page.waitForFunction(
      ([sel, before]) => document.querySelector(sel!)?.textContent !== before,
      [`[data-testid="point-row"][data-point-id="${PRESSURE}"] [data-testid="point-value"]`, first],
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'overview-live.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('turns the site red and counts the alarm when one is raised, live', async () => {
    const { page, errors } = await openOverview();
    const site = page.locator('[data-testid="overview-site"][data-site="net3"]');
    await site.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('kpi-alarms-value').textContent()).toBe('0');
    // Any pressure at all is "high" for this rule: it activates on the next sample.
    const created = await apiCall(apiUrl, admin, 'POST', '/alarm-rules', {
      id: 'e2e.overview.main-end',
      project: PROJECT,
      name: 'Main end pressure (e2e)',
      point: PRESSURE,
      severity: 'critical',
      enabled: true,
      condition: { kind: 'high', limit: 0, deadband: 0 },
    });
    expect(created.status).toBe(201);
    // KPIs are refreshed every 5 s: the tile and the site follow without a reload.
    await page.getByTestId('kpi-alarms-value').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="overview-site"][data-site="net3"][data-state="critical"]').waitFor();
    expect(
      await page
        .locator('[data-testid="alarms-by-severity"] [data-severity="critical"] .count')
        .textContent(),
    ).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'overview-alarm.png') });

    await site.getByRole('button').click();
    await page.getByTestId('point-row').nth(5).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="overview-page"]').count()).toBe(0);
    expect(page.url()).toContain('site=net3');
    expect(errors).toEqual([]);
    await page.close();
  });
});
