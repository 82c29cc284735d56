import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '@watershed/cli';
import { waitFor } from '@watershed/common/testing';
import { authorization, getJson, latest, type ApiSample } from '../support/api.js';
import { apiCall, firstAdminSession } from '../support/console-users.js';
import {
  configVersion,
  gatewayOf,
  openGateway,
  readyUser,
  runningVersion,
  signIn,
  writeInPanel,
  type GatewayView,
} from '../support/fleet.js';

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
let context: BrowserContext | undefined;
let dataDir: string;
let admin: string;
let apiUrl: string;
let gateway: GatewayView;
let users: Record<'eng1' | 'op1' | 'view1', { password: string; cookie: string }>;

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
  const [eng1, op1, view1] = await Promise.all([
    readyUser(apiUrl, admin, { name: 'eng1', role: 'engineer', project: PROJECT }),
    readyUser(apiUrl, admin, { name: 'op1', role: 'operator', project: PROJECT }),
    readyUser(apiUrl, admin, { name: 'view1', role: 'viewer', project: PROJECT }),
  ]);
  users = { eng1, op1, view1 };
  gateway = await gatewayOf(apiUrl, admin, NODE);
  expect(gateway).toMatchObject({ project: PROJECT, site: SITE });
  await runningVersion(apiUrl, admin, gateway.id, 1);
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await platform?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('fleet in a browser', () => {
  it('an engineer adds a tag in the config editor, pushes it, sees it acknowledged and its data arrive', async () => {
    const v1 = await configVersion(apiUrl, admin, gateway.id, 1);
    const flow = v1.config.devices[0]!.groups[0]!.tags.find((t) => t.name === 'P335_FLOW')!;
    const { page, errors, close } = await openPage();
    await signIn(page, apiUrl, 'eng1', users.eng1.password);
    const panel = await openGateway(page, SITE, NODE);
    // Per-device link state and poll statistics, from the gateway's report.
    await expect
      .poll(() => panel.getByTestId('device-row').first().textContent(), { timeout: 20_000 })
      .toMatch(/plc.*connected/);

    // The pump's flow once more, in litres per second: same register, scaled (1 m³/h = 1/3.6 L/s).
    const editor = panel.getByTestId('config-editor');
    const group = editor.getByTestId('config-group').filter({ hasText: 'process' });
    await group.getByRole('button', { name: 'Add tag to process' }).click();
    const form = editor.getByRole('form', { name: 'New tag' });
    await form.getByLabel('Name').fill('P335 FLOW LPS');
    await form.getByLabel('Address').fill(flow.address);
    await form.getByLabel('Type').selectOption(flow.dataType);
    await form.getByLabel('Unit').fill('L/s');
    await form.getByLabel('Scale').fill(String(1 / 3.6));
    await form.getByLabel('Deadband').fill('0.05');
    await form.getByRole('button', { name: 'Save tag' }).click();
    // Refused on the page: a name becomes a topic level.
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('is not a valid name');
    await form.getByLabel('Name').fill('P335_FLOW_LPS');
    await form.getByRole('button', { name: 'Save tag' }).click();
    await group.getByTestId('config-tag').filter({ hasText: 'P335_FLOW_LPS' }).waitFor();

    await editor.getByRole('button', { name: 'Push to 1 gateway(s)' }).click();
    const row = editor.getByTestId('push-row').filter({ hasText: NODE });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('v2 applied');
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-push-applied.png'), fullPage: true });

    await runningVersion(apiUrl, admin, gateway.id, 2);
    const v2 = await configVersion(apiUrl, admin, gateway.id, 2);
    expect(v2).toMatchObject({ author: 'eng1', ack: { ok: true } });
    // The new tag's point is registered and its samples arrive, good and in L/s.
    await waitFor(
      async () =>
        (
          await getJson<{ items: { id: string }[] }>(
            `${apiUrl}/api/v1/points`,
            await authorization(platform.server),
          )
        ).body.items.some((p) => p.id === point('P335_FLOW_LPS')),
      { timeoutMs: 30_000, message: 'the new tag was not registered as a point' },
    );
    const lps = await sampleAfter(point('P335_FLOW_LPS'), 0, (s) => s.quality === 'good');
    const m3h = await latest(platform.server, point('P335_FLOW'));
    expect(Math.abs(Number(lps.value) * 3.6 - Number(m3h!.value))).toBeLessThan(
      Math.max(5, Number(m3h!.value) * 0.05),
    );

    // The version list shows v2 running, and the diff of v1 → v2 is the added tag.
    await panel.getByRole('radio', { name: 'diff from v1' }).check({ timeout: 20_000 });
    await panel.getByRole('radio', { name: 'diff to v2' }).check();
    const diff = panel.getByTestId('config-diff');
    await expect.poll(() => diff.textContent(), { timeout: 20_000 }).toContain('P335_FLOW_LPS');
    expect(errors).toEqual([]);
    await close();
  });

  it('an engineer exports the tags as CSV, imports an edited file after its preview, and the new tag reports', async () => {
    const { page, errors, close } = await openPage();
    await signIn(page, apiUrl, 'eng1', users.eng1.password);
    const panel = await openGateway(page, SITE, NODE);
    const csv = panel.getByTestId('tags-csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      csv.getByRole('button', { name: 'Export tags (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${NODE}-tags.csv`);
    const exported = readFileSync(await download.path(), 'utf8');
    expect(exported.split('\r\n')[0]).toMatch(/^device,group,name,address,dataType,/);
    expect(exported).toContain('P335_FLOW_LPS');

    // Tank 1's level in centimetres, added as a spreadsheet user would: one more row.
    const level = exported
      .split('\r\n')
      .find((l) => l.split(',')[2] === 'T1_LEVEL')!
      .split(',');
    const columns = exported.split('\r\n')[0]!.split(',');
    const added = columns.map((c, i) =>
      c === 'name'
        ? 'T1_LEVEL_CM'
        : c === 'unit'
          ? 'cm'
          : c === 'scale'
            ? '100'
            : c === 'description'
              ? ''
              : level[i],
    );
    const edited = `${exported}${added.join(',')}\r\n`;
    await csv.getByLabel('Import tags from CSV').setInputFiles({
      name: 'tags.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(edited, 'utf8'),
    });
    const preview = csv.getByTestId('csv-preview');
    await expect.poll(() => preview.textContent()).toContain('1 changes');
    expect(await preview.textContent()).toContain('plc.process.T1_LEVEL_CM');
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-csv-preview.png'), fullPage: true });
    await preview.getByRole('button', { name: 'Push the import as a new version' }).click();
    await expect
      .poll(() => csv.getByRole('status').textContent(), { timeout: 30_000 })
      .toContain('v3 applied');
    await runningVersion(apiUrl, admin, gateway.id, 3);
    const cm = await sampleAfter(point('T1_LEVEL_CM'), 0, (s) => s.quality === 'good');
    const m = await latest(platform.server, point('T1_LEVEL'));
    expect(Math.abs(Number(cm.value) - Number(m!.value) * 100)).toBeLessThan(5);
    expect(errors).toEqual([]);
    await close();
  });

  it('an operator starts river pump 335 and sets its speed, and the simulated pump follows', async () => {
    const { page, errors, close } = await openPage();
    await signIn(page, apiUrl, 'op1', users.op1.password);
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
    const { page, errors, close } = await openPage();
    await signIn(page, apiUrl, 'view1', users.view1.password);
    const panel = await openGateway(page, SITE, NODE);
    const refusedAt = Date.now();
    expect(await writeInPanel(panel, 'process.P335_SPEED_SP', '40')).toMatch(/needs the operator role/);
    await page.screenshot({ path: join(ARTIFACTS, 'fleet-viewer-refused.png'), fullPage: true });

    const direct = await apiCall<{ code: string }>(
      apiUrl,
      users.view1.cookie,
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

/**
 * The test's page, signed out: one browser context serves every test (its cache keeps the
 * console's bundle loaded once on a loaded machine); clearing its cookies ends the previous
 * user's session. `close` leaves the console, so no poll of the old page runs on.
 */
async function openPage(): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  context ??= await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.clearCookies();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors, close: () => page.close() };
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
