/**
 * Vendor NB-IoT meters end to end: the simulator publishes to a real MQTT broker (ours, in
 * process) and POSTs to a node:http receiver; the readings arrive in each vendor's shape, on the
 * configured intervals of simulated time, with totals that only grow.
 */
import { createServer, type Server } from 'node:http';
import { FakeClock, waitFor } from '@watershed/common/testing';
import { createBroker, type Broker } from '@watershed/mqtt-broker';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator.js';
import { STATUS_C, type VendorAPayload, type VendorBPayload, type VendorCPayload } from './shapes.js';

const HOUR = 3600;

describe('vendor NB-IoT meters over MQTT and HTTP', { timeout: 60_000 }, () => {
  let broker: Broker;
  let subscriber: MqttClient;
  let receiver: Server;
  let sim: Simulator;
  const clock = new FakeClock();
  const published: { topic: string; body: unknown }[] = [];
  const posted: { topic: string; body: unknown }[] = [];

  beforeAll(async () => {
    broker = createBroker();
    const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
    const url = `mqtt://127.0.0.1:${listener.port}`;
    subscriber = await mqtt.connectAsync(url, { clientId: 'test-subscriber' });
    subscriber.on('message', (topic, payload) =>
      published.push({ topic, body: JSON.parse(payload.toString()) }),
    );
    await subscriber.subscribeAsync(['vendor-a/meters/+/up', 'vc/+/data'], { qos: 1 });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posted.push({
          topic: String(req.headers['x-meter-topic']),
          body: JSON.parse(Buffer.concat(chunks).toString()),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const addr = receiver.address();
    const httpUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/ingest`;
    sim = await startSimulator({
      clock,
      // An hour of simulated time per tick.
      speed: HOUR,
      modbusPort: 0,
      plants: [],
      warmupHours: 0,
      seed: 7,
      vendorMeters: [
        { vendor: 'a', count: 3, transport: 'mqtt', url },
        { vendor: 'b', count: 2, transport: 'http', url: httpUrl },
        { vendor: 'c', count: 2, transport: 'mqtt', url, interval: '1d' },
      ],
    });
    // 26 simulated hours.
    for (let i = 0; i < 26; i++) await clock.advance(1000);
    await waitFor(() => published.length >= 3 * 4 * 25 + 2 && posted.length >= 2 * 25, {
      timeoutMs: 10_000,
      message: 'the readings of 26 hours',
    });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
    await subscriber?.endAsync();
    await broker?.close();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });

  const byDevice = <T>(list: { body: unknown }[], key: keyof T): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const { body } of list) {
      const b = body as T;
      const id = String(b[key]);
      m.set(id, [...(m.get(id) ?? []), b]);
    }
    return m;
  };

  it('vendor A: ISO UTC times, m³, battery and valve, every 15 minutes over MQTT', () => {
    const a = published.filter((p) => p.topic.startsWith('vendor-a/'));
    const devices = byDevice<VendorAPayload>(a, 'imei');
    expect([...devices.keys()].sort()).toEqual([...sim.vendorMeters[0]!.ids].sort());
    for (const [imei, list] of devices) {
      expect(imei).toMatch(/^86\d{13}$/);
      expect(a.find((p) => (p.body as VendorAPayload).imei === imei)?.topic).toBe(
        `vendor-a/meters/${imei}/up`,
      );
      expect(Object.keys(list[0]!).sort()).toEqual(['battery_pct', 'imei', 'reading_m3', 'ts', 'valve']);
      expect(list[0]!.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      expect(list[0]!.valve).toBe('open');
      const times = list.map((r) => Date.parse(r.ts));
      for (let i = 1; i < list.length; i++) {
        expect(times[i]! - times[i - 1]!).toBe(15 * 60_000);
        expect(list[i]!.reading_m3).toBeGreaterThanOrEqual(list[i - 1]!.reading_m3);
      }
      expect(list.at(-1)!.reading_m3).toBeGreaterThan(list[0]!.reading_m3);
    }
  });

  it('vendor B: epoch seconds and litres, hourly over HTTP', () => {
    const devices = byDevice<VendorBPayload>(posted, 'devEui');
    expect([...devices.keys()].sort()).toEqual([...sim.vendorMeters[1]!.ids].sort());
    for (const [devEui, list] of devices) {
      expect(devEui).toMatch(/^[0-9A-F]{16}$/);
      expect(posted.find((p) => (p.body as VendorBPayload).devEui === devEui)?.topic).toBe(
        `vendorb/uplink/${devEui}`,
      );
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!.time - list[i - 1]!.time).toBe(HOUR);
        expect(list[i]!.data.totalFlow).toBeGreaterThanOrEqual(list[i - 1]!.data.totalFlow);
      }
      expect(Number.isInteger(list[0]!.data.totalFlow)).toBe(true);
      expect(list[0]!.data.rssi).toBeLessThan(-60);
    }
  });

  it('vendor C: local yyyyMMddHHmmss (+08:00), 0.001 m³ units and status bits, daily', () => {
    const c = published.filter((p) => p.topic.startsWith('vc/'));
    const devices = byDevice<VendorCPayload>(c, 'meterNo');
    expect([...devices.keys()].sort()).toEqual([...sim.vendorMeters[2]!.ids].sort());
    for (const list of devices.values()) {
      const r = list[0]!;
      expect(r.readTime).toMatch(/^\d{14}$/);
      const utc = Date.UTC(
        Number(r.readTime.slice(0, 4)),
        Number(r.readTime.slice(4, 6)) - 1,
        Number(r.readTime.slice(6, 8)),
        Number(r.readTime.slice(8, 10)) - 8,
        Number(r.readTime.slice(10, 12)),
      );
      // Simulated day 0 is 2026-01-01 UTC; local time is 8 hours ahead.
      expect(utc).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
      expect(utc).toBeLessThan(Date.UTC(2026, 0, 2, 2));
      expect(Number.isInteger(r.cumulant)).toBe(true);
      expect(r.status & STATUS_C.VALVE_CLOSED).toBe(0);
    }
  });

  it('counts every message as accepted by its peer', () => {
    expect(sim.vendorMeters.map((f) => f.stats.failed)).toEqual([0, 0, 0]);
    expect(sim.vendorMeters[0]!.stats.sent).toBe(
      published.filter((p) => p.topic.startsWith('vendor-a/')).length,
    );
    expect(sim.vendorMeters[1]!.stats.sent).toBe(posted.length);
  });
});
