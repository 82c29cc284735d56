import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';
import type { RunningMeters } from './start-meters.js';

/**
 * The three vendors on a real server (its broker and embedded store): A and B publish to the
 * platform broker over TCP as the simulator's fleets do, C's platform pushes through the HTTP
 * uplink service, the one the console API's route calls. Payloads are the simulator's shapes.
 */
const TOKEN = 'vendor-c-token-for-tests';
const T0 = Date.UTC(2026, 0, 1, 6, 0, 0);

let dir: string;
let server: RunningServer;
let meters: RunningMeters;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-meters-platform-'));
  const config = loadConfig({
    schema: ServerConfig,
    value: {
      dataDir: dir,
      mqtt: { host: '127.0.0.1', port: 0 },
      api: { host: '127.0.0.1', port: 0 },
      meters: {
        vendors: [
          {
            id: 'a',
            transport: { type: 'mqtt', topic: 'vendor-a/meters/+/up' },
            decoder: 'vendor-a',
            district: {
              from: 'registry',
              assignments: { '864310000000001': 'north' },
              fallback: 'unassigned',
            },
          },
          {
            id: 'b',
            transport: { type: 'mqtt', topic: 'vendorb/uplink/+' },
            decoder: 'vendor-b',
            district: { from: 'static', district: 'east' },
          },
          {
            id: 'c',
            project: 'acme/west',
            transport: { type: 'http', tokens: [TOKEN] },
            decoder: 'vendor-c',
            district: { from: 'static', district: 'west' },
          },
        ],
      },
    },
    label: 'test',
  });
  // The server starts the meter ingest itself from its `meters:` section.
  server = await startServer({ config, logger: silentLogger() });
  meters = server.meters;
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vendor meters on the platform', () => {
  it('stores readings of all three vendors as register points with the right values', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, { protocolVersion: 5 });
    try {
      await client.publishAsync(
        'vendor-a/meters/864310000000001/up',
        JSON.stringify({
          imei: '864310000000001',
          ts: new Date(T0).toISOString(),
          reading_m3: 101.25,
          battery_pct: 64,
          valve: 'open',
        }),
        { qos: 1 },
      );
      await client.publishAsync(
        'vendorb/uplink/70B3D5E75E100001',
        JSON.stringify({
          devEui: '70B3D5E75E100001',
          time: T0 / 1000,
          data: { totalFlow: 202_500, rssi: -97 },
        }),
        { qos: 1 },
      );
    } finally {
      await client.endAsync();
    }
    // Vendor C posts through the console's HTTP uplink with its bearer token.
    const uplink = `${server.apiUrl}/api/v1/meters/uplink/c`;
    const refused = await fetch(uplink, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}x`, 'content-type': 'application/json' },
      body: '[]',
    });
    expect(refused.status).toBe(401);
    // 06:00 UTC is 14:00 China Standard Time; status 0x03 = valve closed, battery low.
    const posted = await fetch(uplink, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { meterNo: '202600000001', readTime: '20260101140000', cumulant: 303_750, status: 3 },
        { meterNo: '202600000002', readTime: '2026-01-01', cumulant: 1, status: 0 },
      ]),
    });
    expect(posted.status).toBe(202);
    const result: unknown = await posted.json();
    expect(result).toEqual({
      accepted: 1,
      rejected: 1,
      errors: [
        { index: 1, code: 'WS_ERR_METER_BAD_TIME', message: expect.stringContaining('readTime') as string },
      ],
    });

    const latest = await waitFor(async () => {
      const m = await server.store.latest([
        'north.nbiot-a.meters.864310000000001',
        'east.nbiot-b.meters.70B3D5E75E100001',
        'west.nbiot-c.meters.202600000001',
      ]);
      return m.size === 3 && m;
    });
    expect([...latest.values()].map((r) => [r.point, r.ts, r.value])).toEqual(
      expect.arrayContaining([
        ['north.nbiot-a.meters.864310000000001', T0, 101.25],
        ['east.nbiot-b.meters.70B3D5E75E100001', T0, 202.5],
        ['west.nbiot-c.meters.202600000001', T0, 303.75],
      ]),
    );

    const listed = await meters.registry.list();
    expect(listed).toEqual([
      expect.objectContaining({
        id: '202600000001',
        vendor: 'c',
        protocol: 'http-json',
        project: 'acme/west',
      }),
      expect.objectContaining({
        id: '70B3D5E75E100001',
        vendor: 'b',
        protocol: 'mqtt-json',
        district: 'east',
      }),
      expect.objectContaining({ id: '864310000000001', vendor: 'a', district: 'north', lastTotalM3: 101.25 }),
    ]);
    const counted = await server.metrics.getSingleMetricAsString('watershed_meter_readings_total');
    expect(counted).toContain('watershed_meter_readings_total{vendor="c",outcome="accepted"} 1');
    expect(counted).toContain('watershed_meter_readings_total{vendor="c",outcome="rejected"} 1');
    expect(await meters.registry.get('202600000001')).toMatchObject({
      lastReadingTs: T0,
      lastTotalM3: 303.75,
      batteryLow: true,
      valveOpen: false,
    });
  });

  it('gives a meter’s readings newest first within the range and limit', async () => {
    const c = meters.uplink.vendor('c')!;
    const hourly = Array.from({ length: 5 }, (_, h) => ({
      meterNo: '202600000009',
      readTime: `202601011${h}0000`,
      cumulant: 1000 * (h + 1),
      status: 0,
    }));
    // Sent newest first: the store keeps them by the meter's time.
    expect((await c.ingest(hourly.reverse())).accepted).toBe(5);
    const at = (h: number) => Date.UTC(2026, 0, 1, 2 + h);
    expect(await meters.registry.readings('202600000009', { from: at(0), to: at(3), limit: 3 })).toEqual([
      { ts: at(3), totalM3: 4 },
      { ts: at(2), totalM3: 3 },
      { ts: at(1), totalM3: 2 },
    ]);
  });
});
