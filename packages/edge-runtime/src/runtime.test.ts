import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { TcpProxy, freePort, waitFor } from '@watershed/common/testing';
import type { Driver, DriverHealth, DriverModule, Readable, TagRef } from '@watershed/driver-sdk';
import { decodeUplink, type EdgeStatus, type Sample, type UplinkMessage } from '@watershed/model';
import { connectAsync, type MqttClient } from 'mqtt';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeConfig } from './config.js';
import { startEdgeRuntime } from './runtime.js';
import { MGMT_DEFAULTS } from './test-support.js';

// Mosquitto from Debian is the broker here: an independent peer for the uplink.
const MOSQUITTO = '/usr/sbin/mosquitto';

/** A device whose register counts up by one per read. */
class CountingDevice implements Driver, Readable {
  n = 0;
  connect = () => Promise.resolve();
  close = () => Promise.resolve();
  health = (): DriverHealth => ({
    state: 'connected',
    since: 0,
    stats: { requests: this.n, failures: 0, timeouts: 0, reconnects: 0 },
  });
  read(tags: readonly TagRef[]): Promise<Sample[]> {
    this.n++;
    return Promise.resolve(
      tags.map((t) => ({
        ts: Date.now(),
        value: t.dataType === 'bool' ? true : this.n,
        quality: 'good' as const,
      })),
    );
  }
}

const counting: DriverModule = {
  id: 'counting',
  version: '1',
  description: 'test device',
  configSchema: Type.Object({}),
  checkAddress: () => ({ ok: true }),
  create: () => new CountingDevice(),
};

let broker: ChildProcess;
let port: number;

beforeAll(async () => {
  if (!existsSync(MOSQUITTO))
    throw new Error(`${MOSQUITTO} is missing: apt-get install mosquitto (.ci/run does)`);
  port = await freePort();
  broker = spawn(MOSQUITTO, ['-p', String(port)], { stdio: 'ignore' });
  await waitFor(
    () =>
      connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 }).then((c) =>
        c.endAsync().then(() => true),
      ),
    {
      message: 'mosquitto did not start',
    },
  );
});

afterAll(() => {
  broker?.kill();
});

describe('edge runtime → MQTT', () => {
  it('announces its catalog, publishes one message per poll with consecutive seq, and says goodbye', async () => {
    const sub: MqttClient = await connectAsync(`mqtt://127.0.0.1:${port}`);
    const data: UplinkMessage[] = [];
    const statuses: EdgeStatus[] = [];
    sub.on('message', (topic, payload) => {
      if (topic.endsWith('/mgmt/status')) statuses.push(JSON.parse(payload.toString()) as EdgeStatus);
      else {
        const r = decodeUplink(payload);
        if (r.ok) data.push(r.message);
      }
    });
    await sub.subscribeAsync('ws/v1/plant/gw/#', { qos: 1 });

    const edge = await startEdgeRuntime({
      drivers: [counting],
      logger: silentLogger(),
      config: {
        site: 'plant',
        node: 'gw',
        uplink: { url: `mqtt://127.0.0.1:${port}`, keepaliveS: 30, reconnectMs: 500, qos: 1 },
        buffer: { maxMessages: 1000, replayRatePerS: 1000, window: 16 },
        mgmt: MGMT_DEFAULTS,
        devices: [
          {
            name: 'plc',
            driver: 'counting',
            config: {},
            groups: [
              {
                name: 'fast',
                intervalMs: 50,
                tags: [
                  { name: 'flow', address: 'a', dataType: 'float', unit: 'm3/h', quantity: 'flow', scale: 2 },
                  { name: 'run', address: 'b', dataType: 'bool', quantity: 'status' },
                ],
              },
            ],
          },
        ],
      },
    });
    await waitFor(() => data.length >= 5, { message: 'uplink messages did not arrive' });
    await edge.close();
    await waitFor(() => statuses.some((s) => !s.online), { message: 'offline status did not arrive' });
    await sub.endAsync();

    expect(data.map((m) => m.seq).slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(data[0]).toMatchObject({ v: 1, node: 'gw', group: 'fast', values: { run: true } });
    // scale 2 applied to the counter
    expect(data.every((m) => typeof m.values['flow'] === 'number' && m.values['flow'] % 2 === 0)).toBe(true);
    const birth = statuses.find((s) => s.online);
    expect(birth?.groups?.[0]).toMatchObject({ name: 'fast', device: 'plc', intervalMs: 50 });
    expect(birth?.groups?.[0]?.tags.map((t) => t.name)).toEqual(['flow', 'run']);
    expect(edge.health().groups['fast']?.polls).toBeGreaterThanOrEqual(5);
  });
});

describe('store and forward', () => {
  it('keeps every message through a cut link and a gateway restart, and replays them in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-sf-'));
    const proxy = new TcpProxy({ port });
    await proxy.open();
    const sub = await connectAsync(`mqtt://127.0.0.1:${port}`);
    const arrived: number[] = [];
    sub.on('message', (_t, payload) => {
      const r = decodeUplink(payload);
      if (r.ok) arrived.push(r.message.seq);
    });
    await sub.subscribeAsync('ws/v1/plant/sf/+/data', { qos: 1 });
    const config: EdgeConfig = {
      site: 'plant',
      node: 'sf',
      uplink: { url: `mqtt://127.0.0.1:${proxy.port}`, keepaliveS: 30, reconnectMs: 100, qos: 1 },
      buffer: { file: join(dir, 'outbox.sqlite'), maxMessages: 100_000, replayRatePerS: 2000, window: 8 },
      mgmt: MGMT_DEFAULTS,
      devices: [
        {
          name: 'plc',
          driver: 'counting',
          config: {},
          groups: [{ name: 'g', intervalMs: 20, tags: [{ name: 'n', address: 'a', dataType: 'uint32' }] }],
        },
      ],
    };
    let edge = await startEdgeRuntime({ config, drivers: [counting], logger: silentLogger() });
    try {
      await waitFor(() => arrived.length >= 5, { message: 'live data before the cut' });
      await proxy.cut();
      await waitFor(() => edge.health().uplink.backlog >= 20, {
        message: 'buffering while the link is down',
      });
      expect(edge.health().uplink.connected).toBe(false);

      // The gateway restarts while the link is still down: the buffer and the seq survive.
      await edge.close();
      const backlogAtRestart = edge.health().uplink.backlog;
      edge = await startEdgeRuntime({ config, drivers: [counting], logger: silentLogger() });
      expect(edge.health().uplink.backlog).toBeGreaterThanOrEqual(backlogAtRestart);
      await waitFor(() => edge.health().uplink.backlog >= backlogAtRestart + 20, {
        message: 'buffering after restart',
      });

      await proxy.open();
      const target = edge.health().groups['g']!.seq; // next seq to be assigned: everything before must arrive
      await waitFor(() => new Set(arrived).size >= target && Math.max(...arrived) >= target - 1, {
        timeoutMs: 20_000,
        message: 'backlog did not drain',
      });
    } finally {
      await edge.close();
      await sub.endAsync();
      await proxy.cut();
      rmSync(dir, { recursive: true, force: true });
    }
    // Exactly once after de-duplication by seq (QoS 1 may repeat), and in order per group.
    const firsts = arrived.filter((s, i) => arrived.indexOf(s) === i);
    expect(firsts).toEqual(firsts.map((_, i) => i));
    expect(Math.max(...arrived)).toBeGreaterThan(45);
  });
});
