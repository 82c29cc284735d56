/** Helpers shared by this package's tests (not exported from the package). */

/** Polls `check` until it returns true or `timeoutMs` passes; no fixed sleeps in tests. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Two connected in-memory Duplex ends, like a serial cable; shared with the other drivers. */
export { duplexPair } from '@watershed/driver-sdk/testing';
