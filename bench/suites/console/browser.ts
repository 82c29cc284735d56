/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions passed to page.waitForFunction/evaluate run in the page, not in Node.
/**
 * What the suite does in Chromium: cold first loads of the console, then watching live values
 * change in place. Times are the page's own (`performance.now()`, whose origin is the start of
 * navigation), so the figures hold no Node-to-browser round trips.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), as the end-to-end tests use it. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * The overview shows the plant live: the link pill says live (`data-status`, independent of the
 * language) and a value cell shows a number. Runs in the page; answers the time it became true.
 */
function liveShown(): number | false {
  const pill = document.querySelector('[data-testid="live-status"]');
  if (pill?.getAttribute('data-status') !== 'live') return false;
  for (const cell of document.querySelectorAll('[data-testid="point-value"]'))
    if (/\d/.test(cell.textContent ?? '')) return performance.now();
  return false;
}

async function sessionContext(browser: Browser, url: string, session: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addCookies([{ name: 'ws_session', value: session, url }]);
  return context;
}

/**
 * One cold first load in a new browser context (empty cache, already logged in by cookie):
 * ms from navigation start until live values show.
 */
export async function coldLoad(
  browser: Browser,
  url: string,
  session: string,
  timeoutMs: number,
): Promise<number> {
  const context = await sessionContext(browser, url, session);
  try {
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'commit', timeout: timeoutMs });
    // Polled on every animation frame: the moment is known to one frame (~16 ms).
    const shown = await page.waitForFunction(liveShown, undefined, { polling: 'raf', timeout: timeoutMs });
    return (await shown.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

/**
 * Loads the console once more and records, for `durationMs`, the page time of every change of
 * the text of the value cells of `pointIds` (all value cells when none of those is shown), and
 * of every live-stream event carrying a sample of one of `pointIds`.
 */
export async function watchRefreshes(
  browser: Browser,
  url: string,
  session: string,
  pointIds: readonly string[],
  durationMs: number,
  timeoutMs: number,
): Promise<{ changes: number[][]; arrivals: number[][] }> {
  const context = await sessionContext(browser, url, session);
  try {
    const page = await context.newPage();
    // Before the app's scripts: every `samples` event of the live stream is timed per watched
    // point, so a value that arrived but showed the same text is told apart from one that did
    // not arrive.
    await page.addInitScript(
      (ids: string[]) => {
        const wanted = new Set(ids);
        const arrivals: Record<string, number[]> = {};
        (globalThis as { __wsArrivals?: Record<string, number[]> }).__wsArrivals = arrivals;
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance as this below
        const add = EventSource.prototype.addEventListener;
        EventSource.prototype.addEventListener = function (
          this: EventSource,
          type: string,
          listener: EventListenerOrEventListenerObject,
          options?: boolean | AddEventListenerOptions,
        ) {
          if (type === 'samples')
            add.call(this, 'samples', (ev: Event) => {
              const now = performance.now();
              try {
                for (const s of JSON.parse((ev as MessageEvent<string>).data) as { point?: string }[])
                  if (s.point !== undefined && wanted.has(s.point)) (arrivals[s.point] ??= []).push(now);
              } catch {
                // The app's own parser decides what a malformed event means.
              }
            });
          add.call(this, type, listener, options);
        } as typeof EventSource.prototype.addEventListener;
      },
      [...pointIds],
    );
    await page.goto(`${url}/`, { timeout: timeoutMs });
    await page.waitForFunction(liveShown, undefined, { polling: 'raf', timeout: timeoutMs });
    const watched = await page.evaluate(
      (ids: string[]) => {
        const wanted = new Set(ids);
        const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="point-row"]')];
        const chosen = rows.filter((r) => wanted.has(r.dataset.pointId ?? ''));
        const cells = (chosen.length > 0 ? chosen : rows)
          .map((r) => r.querySelector('[data-testid="point-value"]'))
          .filter((c): c is Element => c !== null);
        const changes: number[][] = cells.map(() => []);
        const last = cells.map((c) => c.textContent);
        const observer = new MutationObserver(() => {
          const now = performance.now();
          cells.forEach((c, i) => {
            if (c.textContent !== last[i]) {
              last[i] = c.textContent;
              changes[i]!.push(now);
            }
          });
        });
        for (const c of cells) observer.observe(c, { childList: true, characterData: true, subtree: true });
        (globalThis as { __wsRefresh?: number[][] }).__wsRefresh = changes;
        return cells.length;
      },
      [...pointIds],
    );
    if (watched === 0) throw new Error('the console shows no value cell to watch');
    // The page keeps running while Node waits; nothing here is polled.
    await page.waitForTimeout(durationMs);
    return await page.evaluate(() => ({
      changes: (globalThis as { __wsRefresh?: number[][] }).__wsRefresh ?? [],
      arrivals: Object.values((globalThis as { __wsArrivals?: Record<string, number[]> }).__wsArrivals ?? {}),
    }));
  } finally {
    await context.close();
  }
}
