import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type Clock } from '@watershed/common';
import { FakeClock, TcpProxy, waitFor } from '@watershed/common/testing';
import type { Driver, DriverHealth, DriverModule, Readable, TagRef } from '@watershed/driver-sdk';
import { decodeUplink, type Sample, type UplinkMessage } from '@watershed/model';
import { createBroker, type Broker } from '@watershed/mqtt-broker';
import { connectAsync } from 'mqtt';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeConfig } from './config.js';
import { startEdgeRuntime, type EdgeRuntime } from './runtime.js';
import { MGMT_DEFAULTS } from './test-support.js';

/** A device that reads the (injected) time, so every sample says which poll it came from. */
class ClockDevice implements Driver, Readable {
  static reads = 0;
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  connect = (): Promise<void> => Promise.resolve();
  close = (): Promise<void> => Promise.resolve();
  health = (): DriverHealth => ({
    state: 'connected',
    since: 0,
    stats: { requests: 0, failures: 0, timeouts: 0, reconnects: 0 },
  });
  read(tags: readonly TagRef[]): Promise<Sample[]> {
    ClockDevice.reads++;
    const now = this.#clock.now();
    return Promise.resolve(tags.map(() => ({ ts: now, value: now, quality: 'good' as const })));
  }
}

const clockModule: DriverModule = {
  id: 'clock',
  version: '1',
  description: 'reads the time',
  configSchema: Type.Object({}),
  checkAddress: () => ({ ok: true }),
  create: (_config, deps) => new ClockDevice(deps.clock),
};

let broker: Broker;
let brokerPort: number;
beforeAll(async () => {
  broker = createBroker({ sysIntervalMs: 0 });
  brokerPort = (await broker.listenTcp({ host: '127.0.0.1', port: 0 })).port;
});
afterAll(async () => {
  await broker?.close();
});

const GROUPS = ['intake', 'filters', 'pumps'];
const MINUTE = 60_000;

describe('a ten-minute outage with a gateway restart in the middle', () => {
  it('delivers every sample exactly once, in order per group, with no seq gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-outage-'));
    const clock = new FakeClock(Date.UTC(2026, 10, 28, 3, 0, 0));
    const proxy = new TcpProxy({ port: brokerPort });
    await proxy.open();

    // The cloud: subscribed straight to the broker, for the whole test.
    const cloud = await connectAsync(`mqtt://127.0.0.1:${brokerPort}`, { reconnectPeriod: 0 });
    const arrived: UplinkMessage[] = [];
    cloud.on('message', (_topic, payload) => {
      const r = decodeUplink(payload);
      if (!r.ok) throw new Error('malformed uplink message');
      arrived.push(r.message);
    });
    await cloud.subscribeAsync('ws/v1/city/gw/+/data', { qos: 1 });

    const config: EdgeConfig = {
      site: 'city',
      node: 'gw',
      uplink: { url: `mqtt://127.0.0.1:${proxy.port}`, keepaliveS: 30, reconnectMs: 100, qos: 1 },
      // 200 msg/s of replay: the 1,800-message backlog takes ~9 s of gateway time to drain,
      // while live polls keep appending behind it.
      buffer: { file: join(dir, 'outbox.sqlite'), maxMessages: 100_000, replayRatePerS: 200, window: 32 },
      mgmt: { ...MGMT_DEFAULTS, enabled: false },
      devices: [
        {
          name: 'plc',
          driver: 'clock',
          config: {},
          groups: GROUPS.map((name) => ({
            name,
            intervalMs: 1000,
            tags: [{ name: 't', address: 'now', dataType: 'double' as const }],
          })),
        },
      ],
    };
    const start = (): Promise<EdgeRuntime> =>
      startEdgeRuntime({ config, drivers: [clockModule], clock, logger: silentLogger() });
    /** Moves gateway time on in 1 s polls, letting real I/O (acks, reconnects) run between them. */
    const run = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 1000) {
        await clock.advance(1000);
        await new Promise((r) => setImmediate(r));
      }
    };

    let edge = await start();
    try {
      await waitFor(() => edge.health().uplink.connected, { message: 'first connect' });
      await run(30_000);
      await waitFor(() => edge.health().uplink.backlog === 0, { message: 'live data before the cut' });

      // The link goes down (nothing in flight, so nothing can come twice) for ten minutes.
      await proxy.cut();
      await waitFor(() => !edge.health().uplink.connected, { message: 'the gateway noticed the cut' });
      const arrivedBeforeCut = arrived.length;
      await run(5 * MINUTE);
      expect(edge.health().uplink.backlog).toBeGreaterThanOrEqual(GROUPS.length * 299);

      // Half way through, the gateway restarts (a power cycle takes a few seconds).
      await edge.close();
      await clock.advance(5000);
      edge = await start();
      expect(edge.health().uplink.connected).toBe(false);
      await run(5 * MINUTE - 5000);
      expect(arrived).toHaveLength(arrivedBeforeCut);
      const backlog = edge.health().uplink.backlog;
      expect(backlog).toBeGreaterThanOrEqual(GROUPS.length * 590);

      // The link is back: the backlog drains at the replay rate while live polls go on.
      await proxy.open();
      await waitFor(() => edge.health().uplink.connected, { message: 'reconnect' });
      // Drained = no more than the last second's live polls left, which then await only their acks.
      // Before each further simulated second, the replay must have gained on the live polls that
      // second added (real acks, awaited in real time): on a loaded machine acks come back
      // slower than setImmediate, and advancing regardless would only hold the backlog level.
      const limit = GROUPS.length * 2;
      for (let steps = 0; edge.health().uplink.backlog > limit; steps++) {
        if (steps > 10 * 60) throw new Error(`backlog did not drain: ${edge.health().uplink.backlog}`);
        const before = edge.health().uplink.backlog;
        await run(1000);
        await waitFor(() => edge.health().uplink.backlog <= Math.max(limit, before - 1), {
          timeoutMs: 30_000,
          message: `the replay gains on live polls (backlog ${before})`,
        });
      }
      await waitFor(() => edge.health().uplink.backlog === 0, { message: 'last acks' });
    } finally {
      await edge.close();
      await cloud.endAsync();
      await proxy.cut();
      rmSync(dir, { recursive: true, force: true });
    }

    // Every poll the device answered reached the cloud exactly once…
    expect(arrived).toHaveLength(ClockDevice.reads);
    // At least the 30 s before the cut and the ten minutes of outage less the 5 s restart were
    // polled (the drain adds more).
    expect(ClockDevice.reads).toBeGreaterThanOrEqual(GROUPS.length * 625);
    for (const group of GROUPS) {
      const mine = arrived.filter((m) => m.group === group);
      // …in order, seq 0, 1, 2 … with no gap or repeat, across the restart…
      expect(mine.map((m) => m.seq)).toEqual(mine.map((_, i) => i));
      // …each with its own poll's value, taken at its own time, times increasing.
      expect(mine.every((m) => m.values['t'] === m.ts)).toBe(true);
      expect(mine.every((m, i) => i === 0 || m.ts > mine[i - 1]!.ts)).toBe(true);
    }
    // Ten minutes of gateway time passed between the cut and the link's return.
    const intake = arrived.filter((m) => m.group === 'intake');
    expect(intake.at(-1)!.ts - intake[0]!.ts).toBeGreaterThanOrEqual(10 * MINUTE);
  }, 150_000);
});
