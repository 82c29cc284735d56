/**
 * `npm run bench -- console`: issue 8's console figures. The whole platform as `watershed up`
 * starts it (default scenario, real time, 1 s polls), the built console served by it, and
 * Debian's Chromium: N cold first loads of the overview, then live values watched changing.
 */
import { startPlatform, type Platform } from '@watershed/cli';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BenchReport } from '../../lib/report.js';
import { CHROMIUM, coldLoad, launchChromium, watchRefreshes } from './browser.js';
import { consoleReport } from './report.js';
import { adminSession, pointIdsOf } from './session.js';
import { summarizeLoads, summarizeRefresh } from './stats.js';

const WEB_ROOT = resolve(import.meta.dirname, '../../../apps/web/dist');
/** Known only to this run: the bench logs in without reading the one-time password file. */
const FIRST_PASSWORD = 'bench first admin password';
const PASSWORD = 'bench console admin passphrase';
/** Bounds each load and the wait for the first live value, so a broken console cannot hang the run. */
const STEP_TIMEOUT_MS = 60_000;

export interface ConsoleSuiteOptions {
  loads: number;
  durationS: number;
  machine: string;
  log: (line: string) => void;
}

export async function runConsoleSuite(o: ConsoleSuiteOptions): Promise<BenchReport> {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-bench-console-'));
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  try {
    o.log('starting the platform (default scenario, real time)…');
    platform = await startPlatform({
      dataDir,
      apiPort: 0,
      mqttPort: 0,
      webRoot: WEB_ROOT,
      serverConfig: { console: { adminPassword: FIRST_PASSWORD } },
    });
    const url = platform.server.apiUrl;
    const session = await adminSession(url, FIRST_PASSWORD, PASSWORD);
    const pressures = await pointIdsOf(url, session, 'pressure');
    browser = await launchChromium();

    const loads: number[] = [];
    for (let i = 0; i < o.loads; i++) {
      try {
        const ms = await coldLoad(browser, url, session, STEP_TIMEOUT_MS);
        loads.push(ms);
        o.log(`load ${i + 1}/${o.loads}: ${ms.toFixed(0)} ms`);
      } catch (err) {
        o.log(`load ${i + 1}/${o.loads} failed: ${(err as Error).message.split('\n')[0]}`);
      }
    }

    o.log(`watching live values for ${o.durationS} s…`);
    const watched = await watchRefreshes(
      browser,
      url,
      session,
      pressures,
      o.durationS * 1000,
      STEP_TIMEOUT_MS,
    );
    const refresh = summarizeRefresh(watched.changes);
    const delivery = summarizeRefresh(watched.arrivals);
    o.log(`${refresh.count} refreshes on ${refresh.cells} of ${watched.changes.length} watched cells`);
    return consoleReport({
      machine: o.machine,
      loads: summarizeLoads(loads),
      requestedLoads: o.loads,
      refresh,
      delivery,
      durationS: o.durationS,
    });
  } finally {
    await browser?.close();
    await platform?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
