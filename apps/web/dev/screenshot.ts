/**
 * Opens the console in headless Chromium and saves a screenshot, for judging layout by eye:
 * `npx tsx apps/web/dev/screenshot.ts --url http://127.0.0.1:5173/#points=… --out /tmp/web.png`.
 * `--click <point id>` clicks a row first; `--width`/`--height` set the viewport.
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:5173/' },
    out: { type: 'string', default: '/tmp/web.png' },
    width: { type: 'string', default: '1440' },
    height: { type: 'string', default: '900' },
    click: { type: 'string', multiple: true, default: [] },
    wait: { type: 'string', default: '2500' },
    hover: { type: 'string' },
  },
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(a.width), height: Number(a.height) } });
  page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.stack ?? e.message}`));
  await page.goto(a.url);
  await page.waitForSelector('[data-testid="point-row"], [data-testid="load-error"]', { timeout: 15_000 });
  for (const id of a.click)
    await page.click(`[data-testid="point-row"][data-point-id="${id}"]`, {
      modifiers: a.click.length > 1 ? ['Control'] : [],
    });
  if (a.hover !== undefined) await page.hover(a.hover);
  await page.waitForTimeout(Number(a.wait));
  await page.screenshot({ path: a.out, fullPage: false });
  console.log(`live-status: ${await page.textContent('[data-testid="live-status"]')}`);
  console.log(`saved ${a.out}`);
} finally {
  await browser.close();
}
