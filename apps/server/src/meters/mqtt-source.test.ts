import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { createBroker, type Broker } from '@watershed/mqtt-broker';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMeters, type RunningMeters } from './start-meters.js';

/** Payload shapes as apps/sim/src/meters/vendors/shapes.ts encodes them (written out by hand). */
const TS = Date.UTC(2026, 2, 1, 0, 15, 0);
const payloadA = (imei: string, ts: number, m3: number, battery = 70, valve = 'open') => ({
  imei,
  ts: new Date(ts).toISOString(),
  reading_m3: m3,
  battery_pct: battery,
  valve,
});
const payloadB = (devEui: string, ts: number, m3: number) => ({
  devEui,
  time: Math.floor(ts / 1000),
  data: { totalFlow: Math.round(m3 * 1000), rssi: -88 },
});

let dir: string;
let store: Store;
let broker: Broker;
let port: number;
let meters: RunningMeters | undefined;
let client: MqttClient;
let emitted: SampleRow[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-meters-mqtt-'));
  store = await openEmbeddedStore({ dir, flushIntervalMs: 5 });
  broker = createBroker({ sysIntervalMs: 0 });
  port = (await broker.listenTcp({ host: '127.0.0.1', port: 0 })).port;
  emitted = [];
  meters = await startMeters({
    store,
    source: broker,
    logger: silentLogger(),
    emit: (rows) => emitted.push(...rows),
  });
  client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, protocolVersion: 5 });
});

afterEach(async () => {
  await client.endAsync();
  await broker.close();
  await meters?.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const publish = (topic: string, body: unknown) =>
  client.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 });

const value = async (point: string, ts: number) =>
  (await store.series(point, { from: ts, to: ts }))[0]?.value;

describe('vendor meters over MQTT (the shipped vendors a and b)', () => {
  it('stores vendor A and B readings as register points in m³, with battery and valve points', async () => {
    await publish('vendor-a/meters/864310000000001/up', payloadA('864310000000001', TS, 12.34, 8, 'closed'));
    await publish('vendorb/uplink/70B3D5E75E100001', payloadB('70B3D5E75E100001', TS, 56.78));
    const a = 'unassigned.nbiot-a.meters.864310000000001';
    const b = 'unassigned.nbiot-b.meters.70B3D5E75E100001';
    expect(await waitFor(() => value(b, TS))).toBe(56.78);
    expect(await waitFor(() => value(a, TS))).toBe(12.34);
    expect(await value('unassigned.nbiot-a.meters-battery-low.864310000000001', TS)).toBe(true);
    expect(await value('unassigned.nbiot-a.meters-valve-open.864310000000001', TS)).toBe(false);
    expect(await store.getPoint(a)).toMatchObject({ unit: 'm3', quantity: 'volume', dataType: 'double' });
    // Vendor B reports neither battery nor valve: no such points are invented.
    expect(await store.listPoints({ node: 'nbiot-b' })).toHaveLength(1);
    expect(emitted.map((r) => r.point)).toContain(b);
  });

  it('takes duplicates idempotently and late readings at their own time', async () => {
    const id = '864310000000002';
    const point = `unassigned.nbiot-a.meters.${id}`;
    await publish(`vendor-a/meters/${id}/up`, payloadA(id, TS + 900_000, 10.5));
    await publish(`vendor-a/meters/${id}/up`, payloadA(id, TS + 900_000, 10.5)); // QoS 1 resend
    await publish(`vendor-a/meters/${id}/up`, payloadA(id, TS, 10.25)); // late, out of order
    await waitFor(() => meters!.stats().a!.accepted === 3);
    await waitFor(async () => (await store.series(point, { from: 0, to: TS * 2 })).length === 2);
    expect(await store.series(point, { from: 0, to: TS * 2 })).toMatchObject([
      { ts: TS, value: 10.25 },
      { ts: TS + 900_000, value: 10.5 },
    ]);
    expect(await store.listPoints({ node: 'nbiot-a' })).toHaveLength(3);
  });

  it('counts malformed messages by code and goes on with the next', async () => {
    await publish('vendor-a/meters/x/up', 'not json {');
    await publish('vendor-a/meters/x/up', { imei: 'x', ts: 'yesterday', reading_m3: 1 });
    await publish('vendorb/uplink/x', { devEui: 'x', time: TS / 1000, data: { totalFlow: -5 } });
    await publish('vendorb/uplink/70B3D5E75E100009', payloadB('70B3D5E75E100009', TS, 1));
    await waitFor(() => meters!.stats().b!.accepted === 1);
    const stats = meters!.stats();
    expect(stats.a).toMatchObject({
      received: 2,
      accepted: 0,
      rejected: 2,
      refusals: { WS_ERR_METER_NOT_JSON: 1, WS_ERR_METER_BAD_TIME: 1 },
    });
    expect(stats.b).toMatchObject({ received: 2, rejected: 1, refusals: { WS_ERR_METER_FIELD_INVALID: 1 } });
  });

  it('knows the meters again after a restart, in the district they were registered in', async () => {
    await publish('vendorb/uplink/70B3D5E75E100003', payloadB('70B3D5E75E100003', TS, 3));
    await waitFor(() => meters!.stats().b!.accepted === 1);
    await meters!.close();
    meters = await startMeters({
      store,
      source: broker,
      logger: silentLogger(),
      config: {
        enabled: true,
        bodyLimitBytes: 1 << 20,
        vendors: [
          {
            id: 'b',
            project: 'default/default',
            transport: { type: 'mqtt', topic: 'vendorb/uplink/+' },
            decoder: 'vendor-b',
            // A new meter goes to `west`; the known one stays where it was registered.
            district: { from: 'registry', fallback: 'west' },
          },
        ],
      },
    });
    expect((await meters.registry.get('70B3D5E75E100003'))?.district).toBe('unassigned');
    await publish('vendorb/uplink/70B3D5E75E100003', payloadB('70B3D5E75E100003', TS + 3_600_000, 4));
    await publish('vendorb/uplink/70B3D5E75E100004', payloadB('70B3D5E75E100004', TS, 5));
    await waitFor(() => meters!.stats().b!.accepted === 2);
    expect(await value('unassigned.nbiot-b.meters.70B3D5E75E100003', TS + 3_600_000)).toBe(4);
    expect(await value('west.nbiot-b.meters.70B3D5E75E100004', TS)).toBe(5);
  });

  it('answers a store failure with PUBACK 0x80 (MQTT 5), counted, and stores the retry', async () => {
    const write = store.writeSamples.bind(store);
    store.writeSamples = () => Promise.reject(new Error('disk full'));
    const reading = payloadB('70B3D5E75E100005', TS, 1);
    await expect(publish('vendorb/uplink/70B3D5E75E100005', reading)).rejects.toMatchObject({ code: 0x80 });
    expect(meters!.stats().b!.storeErrors).toBe(1);
    store.writeSamples = write;
    // The PUBACK of the retry means it is stored: no polling needed.
    await publish('vendorb/uplink/70B3D5E75E100005', reading);
    expect(await value('unassigned.nbiot-b.meters.70B3D5E75E100005', TS)).toBe(1);
    expect(meters!.stats().b).toMatchObject({ received: 2, accepted: 1, rejected: 0, storeErrors: 1 });
  });

  it('MQTT 3.1.1: a reading whose write failed is not acked, resent after reconnecting, and stored', async () => {
    const write = store.writeSamples.bind(store);
    let failures = 0;
    store.writeSamples = (rows) =>
      failures++ === 0 ? Promise.reject(new Error('database gone')) : write(rows);
    const meter = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 20 });
    try {
      await meter.publishAsync(
        'vendorb/uplink/70B3D5E75E100006',
        JSON.stringify(payloadB('70B3D5E75E100006', TS, 7)),
        { qos: 1 },
      );
      expect(await value('unassigned.nbiot-b.meters.70B3D5E75E100006', TS)).toBe(7);
      expect(meters!.stats().b).toMatchObject({ accepted: 1, storeErrors: 1 });
    } finally {
      store.writeSamples = write;
      await meter.endAsync(true);
    }
  });

  it('drains the readings in flight on close', async () => {
    const sends = Array.from({ length: 50 }, (_, n) =>
      publish('vendorb/uplink/70B3D5E75E1000FF', payloadB('70B3D5E75E1000FF', TS + n * 60_000, n)),
    );
    await Promise.all(sends);
    await meters!.close();
    const stored = await store.series('unassigned.nbiot-b.meters.70B3D5E75E1000FF', { from: 0, to: TS * 2 });
    expect(stored).toHaveLength(50);
  });
});
