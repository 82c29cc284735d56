import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { silentLogger } from '@watershed/common';
import { freePort, waitFor } from '@watershed/common/testing';
import type { Driver, DriverHealth, DriverModule, Readable, TagRef } from '@watershed/driver-sdk';
import { decodeUplink, type EdgeStatus, type Sample, type UplinkMessage } from '@watershed/model';
import { connectAsync, type MqttClient } from 'mqtt';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeRuntime } from './runtime.js';

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
