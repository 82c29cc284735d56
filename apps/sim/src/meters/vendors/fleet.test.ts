/**
 * A fleet without a network: a recording uplink shows the schedule, the seeded determinism and
 * the vendors' encodings exactly.
 */
import { silentLogger } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { loadSimConfig } from '../../config.js';
import { VendorFleet, type VendorFleetOptions } from './fleet.js';
import { encodeA, encodeB, encodeC, type MeterReading } from './shapes.js';
import type { Uplink } from './uplink.js';

function fleet(o: Partial<VendorFleetOptions> = {}) {
  const sent: { topic: string; body: string }[] = [];
  const uplink: Uplink = {
    send: (topic, body) => {
      sent.push({ topic, body });
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
  const f = new VendorFleet({
    vendor: 'a',
    count: 5,
    intervalS: 900,
    seed: 3,
    start: 0,
    epochMs: Date.UTC(2026, 0, 1),
    index: 0,
    uplink,
    logger: silentLogger(),
    ...o,
  });
  return { f, sent };
}

describe('vendor fleet', () => {
  it('reports each meter once per interval, at a seeded minute within it, the same on every run', async () => {
    const one = fleet();
    const two = fleet();
    // Uneven steps: the schedule depends on simulated time only, not on the tick pattern.
    for (const t of [100, 1000, 1700, 3600]) one.f.advanceTo(t);
    two.f.advanceTo(3600);
    await one.f.close();
    await two.f.close();
    expect(one.sent).toEqual(two.sent);
    // Four reports per meter in an hour, five for a meter whose minute is :00 (at 0 and 3600 s).
    expect(one.sent.length).toBeGreaterThanOrEqual(5 * 4);
    expect(one.sent.length).toBeLessThanOrEqual(5 * 5);
    for (const id of one.f.ids) {
      const times = one.sent
        .filter((s) => s.topic === `vendor-a/meters/${id}/up`)
        .map((s) => Date.parse((JSON.parse(s.body) as { ts: string }).ts));
      expect(times.length).toBeGreaterThanOrEqual(4);
      expect(times[0]! % 60_000).toBe(0);
      expect(new Set(times.slice(1).map((t, i) => t - times[i]!))).toEqual(new Set([900_000]));
    }
    const other = fleet({ seed: 4 });
    other.f.advanceTo(3600);
    expect(other.sent).not.toEqual(one.sent);
  });

  it('encodes each vendor exactly', () => {
    const r: MeterReading = {
      ts: Date.UTC(2026, 0, 31, 17, 5, 9),
      totalM3: 123.45,
      batteryPct: 8,
      valveOpen: false,
      batteryLow: true,
      rssi: -97,
    };
    expect(encodeA('860000000000001', r)).toEqual({
      imei: '860000000000001',
      ts: '2026-01-31T17:05:09.000Z',
      reading_m3: 123.45,
      battery_pct: 8,
      valve: 'closed',
    });
    expect(encodeB('70B3D5E75E100001', r)).toEqual({
      devEui: '70B3D5E75E100001',
      time: Date.UTC(2026, 0, 31, 17, 5, 9) / 1000,
      data: { totalFlow: 123_450, rssi: -97 },
    });
    // 17:05:09 UTC is 01:05:09 the next day in UTC+08:00.
    expect(encodeC('202600000001', r)).toEqual({
      meterNo: '202600000001',
      readTime: '20260201010509',
      cumulant: 123_450,
      status: 0b11,
    });
  });

  it('validates the vendorMeters section', () => {
    const env = {
      WATERSHED_SIM__VENDORMETERS: '[{"vendor":"d","count":1,"transport":"mqtt","url":"mqtt://x"}]',
    };
    expect(() => loadSimConfig(undefined, env)).toThrow(/vendorMeters/);
    const ok = loadSimConfig(undefined, {
      WATERSHED_SIM__VENDORMETERS:
        '[{"vendor":"c","count":10,"transport":"http","url":"http://x/in","interval":"1d"}]',
    });
    expect(ok.vendorMeters).toEqual([
      { vendor: 'c', count: 10, transport: 'http', url: 'http://x/in', interval: '1d' },
    ]);
  });
});
