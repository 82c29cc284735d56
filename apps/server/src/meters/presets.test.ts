import { describe, expect, it } from 'vitest';
import { decoderFor } from './presets.js';

/**
 * Payloads as the simulator's encoders (apps/sim/src/meters/vendors/shapes.ts) write them,
 * written out by hand from the documented shapes: apps/server may not import the simulator.
 * One reading throughout: 2026-03-01T00:15:00Z, 1234.567 m³.
 */
const TS = Date.UTC(2026, 2, 1, 0, 15, 0);

describe('vendor A (ISO time, m³, battery %, valve text)', () => {
  const a = decoderFor('vendor-a');
  const payload = {
    imei: '864310000000001',
    ts: '2026-03-01T00:15:00.000Z',
    reading_m3: 1234.57,
    battery_pct: 73,
    valve: 'open',
  };

  it('normalises a reading', () => {
    expect(a.decode(payload)).toEqual({
      ok: true,
      reading: { meter: '864310000000001', ts: TS, totalM3: 1234.57, batteryLow: false, valveOpen: true },
    });
  });

  it('reads a low battery and a closed valve', () => {
    const r = a.decode({ ...payload, battery_pct: 8, valve: 'closed' });
    expect(r.ok && r.reading).toMatchObject({ batteryLow: true, valveOpen: false });
  });

  it.each([
    [{ ...payload, reading_m3: undefined }, 'WS_ERR_METER_FIELD_MISSING', 'reading_m3'],
    [{ ...payload, reading_m3: 'lots' }, 'WS_ERR_METER_FIELD_INVALID', 'reading_m3'],
    [{ ...payload, reading_m3: -1 }, 'WS_ERR_METER_FIELD_INVALID', 'non-negative'],
    [{ ...payload, ts: 'yesterday' }, 'WS_ERR_METER_BAD_TIME', 'iso8601'],
    [{ ...payload, ts: '2026-02-30T00:00:00Z' }, 'WS_ERR_METER_BAD_TIME', '2026-02-30'],
    [{ ...payload, ts: '1970-01-01T00:00:00Z' }, 'WS_ERR_METER_TIME_RANGE', '1970'],
    [{ ...payload, valve: 'ajar' }, 'WS_ERR_METER_FIELD_INVALID', 'one of open, closed'],
    [{ ...payload, imei: 'a/b#' }, 'WS_ERR_METER_BAD_ID', 'a/b#'],
    [{ ...payload, imei: undefined }, 'WS_ERR_METER_FIELD_MISSING', 'imei'],
    [[payload], 'WS_ERR_METER_NOT_OBJECT', 'array'],
    ['864310000000001', 'WS_ERR_METER_NOT_OBJECT', ''],
    [null, 'WS_ERR_METER_NOT_OBJECT', 'null'],
  ])('refuses %j with %s', (bad, code, text) => {
    const r = a.decode(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toContain(text);
    }
  });
});

describe('vendor B (epoch s, litres)', () => {
  const b = decoderFor('vendor-b');
  const payload = { devEui: '70B3D5E75E100001', time: TS / 1000, data: { totalFlow: 1234567, rssi: -91 } };

  it('converts litres to m³ exactly and seconds to ms', () => {
    expect(b.decode(payload)).toEqual({
      ok: true,
      reading: { meter: '70B3D5E75E100001', ts: TS, totalM3: 1234.567 },
    });
  });

  it('refuses a time in ms where seconds belong, and a missing nested register', () => {
    const ms = b.decode({ ...payload, time: TS });
    expect(!ms.ok && ms.error.code).toBe('WS_ERR_METER_TIME_RANGE');
    const missing = b.decode({ ...payload, data: { rssi: -91 } });
    expect(!missing.ok && missing.error.message).toContain('data.totalFlow');
    const flat = b.decode({ ...payload, data: 5 });
    expect(!flat.ok && flat.error.code).toBe('WS_ERR_METER_FIELD_MISSING');
  });
});

describe('vendor C (local yyyyMMddHHmmss at UTC+08:00, 0.001 m³, status bits)', () => {
  const c = decoderFor('vendor-c');
  // 00:15 UTC is 08:15 China Standard Time.
  const payload = { meterNo: '202600000001', readTime: '20260301081500', cumulant: 1234567, status: 0 };

  it('reads local time as UTC+08:00 and the register in litres', () => {
    expect(c.decode(payload)).toEqual({
      ok: true,
      reading: { meter: '202600000001', ts: TS, totalM3: 1234.567, batteryLow: false, valveOpen: true },
    });
  });

  it('reads the status bits: 0x01 valve closed, 0x02 battery low', () => {
    const flags = (status: number) => {
      const r = c.decode({ ...payload, status });
      return r.ok ? [r.reading.valveOpen, r.reading.batteryLow] : r.error.code;
    };
    expect(flags(1)).toEqual([false, false]);
    expect(flags(2)).toEqual([true, true]);
    expect(flags(3)).toEqual([false, true]);
    expect(flags(-1)).toBe('WS_ERR_METER_FIELD_INVALID');
    expect(flags(1.5)).toBe('WS_ERR_METER_FIELD_INVALID');
  });

  it('crosses midnight back into the previous UTC day', () => {
    const r = c.decode({ ...payload, readTime: '20260301050000' });
    expect(r.ok && r.reading.ts).toBe(Date.UTC(2026, 1, 28, 21, 0, 0));
  });

  it.each(['2026030108150', '20261301081500', '20260230081500', '20260301246000', 'abcdefghijklmn'])(
    'refuses the time %s',
    (readTime) => {
      const r = c.decode({ ...payload, readTime });
      expect(!r.ok && r.error.code).toBe('WS_ERR_METER_BAD_TIME');
    },
  );
});
