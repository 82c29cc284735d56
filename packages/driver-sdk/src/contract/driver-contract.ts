/**
 * The contract every driver must pass, written once and run against each implementation with a
 * real peer (MQTT.js's `abstractStoreTest(build)` pattern). It checks the lifecycle promises of
 * `Driver` (see driver.ts): connect never waits for a dead peer, reads never reject and keep tag
 * order, the driver recovers by itself, and close is idempotent and releases every handle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample, SampleValue } from '@watershed/model';
import { isReadable, type Driver, type LinkState, type TagRef } from '../driver.js';

export interface DriverContractFixture {
  /** A driver, created but not connected, configured with short timeouts and backoff (≤ 1 s). */
  readonly driver: Driver;
  /** Tags the peer serves; at least one. */
  readonly tags: readonly TagRef[];
  /** Values the peer holds for `tags`, in order, when the suite should check them. */
  readonly expected?: readonly SampleValue[];
  /** Makes the peer unreachable (stops it); resolves once it is down. */
  stopPeer(): Promise<void>;
  /** Brings the peer back at the same address; resolves once it accepts connections. */
  startPeer(): Promise<void>;
}

export interface DriverContractOptions {
  /** How long the driver may take to notice a change or recover, ms; default 10 s. */
  settleMs?: number;
}

const TRANSPORT_HANDLES = new Set([
  'TCPSocketWrap',
  'TCPServerWrap',
  'TCPWRAP',
  'ConnectWrap',
  'PipeWrap',
  'TTYWrap',
  'UDPWrap',
]);

/** Open sockets and timers of this process, by kind (Node's getActiveResourcesInfo). */
function handleCounts(): { transport: number; timers: number } {
  let transport = 0;
  let timers = 0;
  for (const r of process.getActiveResourcesInfo()) {
    if (TRANSPORT_HANDLES.has(r)) transport++;
    else if (r === 'Timeout') timers++;
  }
  return { transport, timers };
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`driver contract: timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function expectOnePerTag(samples: readonly Sample[], tags: readonly TagRef[]): void {
  expect(samples).toHaveLength(tags.length);
  for (const s of samples) {
    expect(typeof s.ts).toBe('number');
    expect(['good', 'uncertain', 'bad']).toContain(s.quality);
  }
}

export function describeDriverContract(
  name: string,
  build: () => Promise<DriverContractFixture>,
  options: DriverContractOptions = {},
): void {
  const settleMs = options.settleMs ?? 10_000;
  const timeout = settleMs * 3;

  describe(`driver contract: ${name}`, () => {
    let current: DriverContractFixture | undefined;
    let peerUp = true;
    const setup = async (): Promise<DriverContractFixture> => {
      current = await build();
      peerUp = true;
      return current;
    };
    const stop = async (f: DriverContractFixture): Promise<void> => {
      await f.stopPeer();
      peerUp = false;
    };
    afterEach(async () => {
      const f = current;
      current = undefined;
      if (!f) return;
      await f.driver.close();
      if (peerUp) await f.stopPeer();
    });

    const allGood = async (f: DriverContractFixture & { driver: Driver }): Promise<boolean> => {
      if (!isReadable(f.driver)) return f.driver.health().state === 'connected';
      const samples = await f.driver.read(f.tags);
      return samples.every((s) => s.quality === 'good');
    };

    it('connect() resolves while the peer is down, and the driver keeps trying', { timeout }, async () => {
      const f = await setup();
      await stop(f);
      await f.driver.connect();
      const state = f.driver.health().state;
      expect(['connecting', 'backoff', 'disconnected']).toContain(state);
      expect(f.driver.health().lastError?.code).toMatch(/^WS_ERR_/);
      await f.startPeer();
      peerUp = true;
      await until(
        () => f.driver.health().state === 'connected',
        settleMs,
        'the driver to connect once the peer is up',
      );
    });

    it('read() returns one sample per tag, in order, good while the peer is up', { timeout }, async () => {
      const f = await setup();
      if (!isReadable(f.driver)) return;
      await f.driver.connect();
      await until(() => allGood(f), settleMs, 'good samples');
      const samples = await f.driver.read(f.tags);
      expectOnePerTag(samples, f.tags);
      if (f.expected) expect(samples.map((s) => s.value)).toEqual(f.expected);
      const reversed = [...f.tags].reverse();
      const back = await f.driver.read(reversed);
      expect(back.map((s) => s.value)).toEqual([...samples.map((s) => s.value)].reverse());
      expect(await f.driver.read([])).toEqual([]);
    });

    it(
      'read() resolves with bad quality while the peer is down and recovers by itself',
      { timeout },
      async () => {
        const f = await setup();
        await f.driver.connect();
        await until(() => allGood(f), settleMs, 'good samples');
        await stop(f);
        await until(
          () => f.driver.health().state !== 'connected',
          settleMs,
          'the driver to notice the peer is gone',
        );
        expect(['connecting', 'backoff', 'disconnected']).toContain(f.driver.health().state);
        if (isReadable(f.driver)) {
          const samples = await f.driver.read(f.tags);
          expectOnePerTag(samples, f.tags);
          for (const s of samples) {
            expect(s.quality).toBe('bad');
            expect(s.value).toBeNull();
            expect(s.reason).toMatch(/^WS_ERR_/);
          }
        }
        await f.startPeer();
        peerUp = true;
        await until(() => allGood(f), settleMs, 'good samples after the peer returns');
        expect(f.driver.health().state).toBe('connected');
      },
    );

    it('health() reports each transition with its time', { timeout }, async () => {
      const f = await setup();
      const seen: LinkState[] = [f.driver.health().state];
      const record = (): void => {
        const s = f.driver.health().state;
        if (seen[seen.length - 1] !== s) seen.push(s);
      };
      await f.driver.connect();
      record();
      await until(() => f.driver.health().state === 'connected', settleMs, 'connected');
      const since = f.driver.health().since;
      expect(since).toBeLessThanOrEqual(Date.now());
      await stop(f);
      await until(
        () => {
          record();
          return f.driver.health().state !== 'connected';
        },
        settleMs,
        'loss to show in health',
      );
      expect(f.driver.health().since).toBeGreaterThanOrEqual(since);
      await f.driver.close();
      record();
      expect(seen[0]).not.toBe('connected');
      expect(seen).toContain('connected');
      expect(seen[seen.length - 1]).toBe('closed');
      const h = f.driver.health();
      expect(h.stats.requests).toBeGreaterThanOrEqual(0);
      expect(h.stats.failures).toBeLessThanOrEqual(h.stats.requests);
    });

    it('close() is idempotent and leaves no sockets or timers behind', { timeout }, async () => {
      const before = handleCounts();
      const f = await setup();
      await f.driver.connect();
      await until(() => f.driver.health().state === 'connected', settleMs, 'connected');
      if (isReadable(f.driver)) await f.driver.read(f.tags);
      await Promise.all([f.driver.close(), f.driver.close()]);
      await f.driver.close();
      expect(f.driver.health().state).toBe('closed');
      if (isReadable(f.driver)) {
        const after = await f.driver.read(f.tags);
        expect(after.every((s) => s.quality === 'bad')).toBe(true);
      }
      await stop(f);
      // Socket handles are released on the next turns of the event loop after close.
      await until(
        () => {
          const now = handleCounts();
          return now.transport <= before.transport && now.timers <= before.timers;
        },
        settleMs,
        `handles to return to ${JSON.stringify(before)} (now ${JSON.stringify(handleCounts())})`,
      );
    });
  });
}
