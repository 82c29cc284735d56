import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '@watershed/cli';
import { latest, type ApiSample } from '../support/api.js';
import { apiCall, apiLogin, browserLogin, createUser, firstAdminSession } from '../support/console-users.js';
import { gatewayOf, openGateway, runningVersion, writeInPanel, type GatewayView } from '../support/fleet.js';

// Issue 8's "Must show" items of the Fleet page, in Debian's Chromium against the whole
// platform (`watershed up`: server, the simulated Net3 works over Modbus TCP, its gateway).
const ROOT = resolve(import.meta.dirname, '../..');
const WEB_ROOT = join(ROOT, 'apps/web/dist');
const ARTIFACTS = join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';

const PROJECT = 'default/default';
/** The simulator's default city: EPANET Net3 as one works, `net3-plant` on site `net3`. */
const SITE = 'net3';
const NODE = 'net3-plant';
const point = (tag: string) => `${SITE}.${NODE}.process.${tag}`;

let platform: Platform;
let browser: Browser;
let dataDir: string;
let admin: string;
let apiUrl: string;
let gateway: GatewayView;

beforeAll(async () => {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build -w @watershed/web` first');
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ws-fleet-'));
  platform = await startPlatform({
    dataDir,
    apiPort: 0,
    mqttPort: 0,
    speed: 60,
    seed: 11,
    webRoot: WEB_ROOT,
    pollIntervalMs: 500,
  });
  apiUrl = platform.server.apiUrl;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  admin = await firstAdminSession(
    apiUrl,
    readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim(),
  );
  // `watershed up` enrols its gateway: listed in the fleet and running the config it was
  // enrolled with as version 1, acknowledged over the management channel.
  gateway = await gatewayOf(apiUrl, admin, NODE);
  expect(gateway).toMatchObject({ project: PROJECT, site: SITE });
  await runningVersion(apiUrl, admin, gateway.id, 1);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('fleet in a browser', () => {
  it('an operator starts river pump 335 and sets its speed, and the simulated pump follows', async () => {
    await createUser(apiUrl, admin, {
      name: 'op1',
      role: 'operator',
      project: PROJECT,
      password: 'one-time-op1',
    });
    const { page, errors, close } = await openPage();
    await browserLogin(page, apiUrl, 'op1', 'one-time-op1', 'an operator passphrase');
    const panel = await openGateway(page, SITE, NODE);

    // Run it in manual first: a stopped pump turns at 0 % whatever its setpoint.
    expect(await writeInPanel(panel, 'process.P335_CMD', 'true')).toBe(
      `Written to ${point('P335_CMD')}; read back true.`,
    );
    const before = Date.now();
    expect(await writeInPanel(panel, 'process.P335_SPEED_SP', '80')).toBe(
      `Written to ${point('P335_SPEED_SP')}; read back 80.`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-operator-write.png'), fullPage: true });

    // The plant's drive takes the setpoint: the measured speed, polled over Modbus and stored,
    // comes to 80 % (it ran at its 100 % default before).
    const speed = await sampleAfter(point('P335_SPEED'), before, (s) => Math.abs(Number(s.value) - 80) < 0.5);
    expect(speed.quality).toBe('good');
    expect(await sampleAfter(point('P335_RUN'), before, (s) => s.value === true)).toMatchObject({
      quality: 'good',
    });
    // And the write is on record under the operator's name.
    const audit = await apiCall<{ entries: { actor: string; resource: string }[] }>(
      apiUrl,
      admin,
      'GET',
      '/audit?actor=op1&action=tag.write',
    );
    expect(audit.body.entries.map((e) => e.resource)).toEqual(
      expect.arrayContaining([expect.stringContaining(point('P335_SPEED_SP'))]),
    );
    expect(errors).toEqual([]);
    await close();
  });

  it('a viewer is refused a setpoint write, in the console and by the API, and nothing changes', async () => {
    await createUser(apiUrl, admin, {
      name: 'view1',
      role: 'viewer',
      project: PROJECT,
      password: 'one-time-view1',
    });
    const { page, errors, close } = await openPage();
    await browserLogin(page, apiUrl, 'view1', 'one-time-view1', 'a viewer passphrase');
    const panel = await openGateway(page, SITE, NODE);
    const refusedAt = Date.now();
    expect(await writeInPanel(panel, 'process.P335_SPEED_SP', '40')).toMatch(/needs the operator role/);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-viewer-refused.png'), fullPage: true });

    const viewer = await apiLogin(apiUrl, 'view1', 'a viewer passphrase');
    const direct = await apiCall<{ code: string }>(
      apiUrl,
      viewer,
      'POST',
      `/gateways/${gateway.id}/tags/${encodeURIComponent('process.P335_SPEED_SP')}/write`,
      { value: 40, confirm: true },
    );
    expect(direct.status).toBe(403);

    // Polls after the refusals still read the operator's setpoint and the speed it gives.
    const sp = await sampleAfter(point('P335_SPEED_SP'), refusedAt + 1500, () => true);
    expect(sp.value).toBe(80);
    const speed = await sampleAfter(point('P335_SPEED'), refusedAt + 1500, () => true);
    expect(Math.abs(Number(speed.value) - 80)).toBeLessThan(0.5);
    expect(errors).toEqual([]);
    await close();
  });
});

async function openPage(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => context.close() };
}

/** The point's latest sample once one newer than `after` satisfies `ok`. */
async function sampleAfter(
  id: string,
  after: number,
  ok: (s: ApiSample) => boolean,
  timeout = 30_000,
): Promise<ApiSample> {
  let last: ApiSample | undefined;
  await expect
    .poll(
      async () => {
        last = await latest(platform.server, id);
        return last !== undefined && last.ts > after && ok(last);
      },
      { timeout, interval: 250, message: `no sample of ${id} after ${after} as expected` },
    )
    .toBe(true);
  return last!;
}
