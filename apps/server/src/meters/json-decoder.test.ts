import { describe, expect, it } from 'vitest';
import type { JsonDecoderSpec } from './config.js';
import { jsonDecoder } from './json-decoder.js';

/** A fourth vendor, by configuration only: nested fields, local time with separators, 0.01 m³ counts. */
const vendorD: JsonDecoderSpec = {
  type: 'json',
  id: 'device.sn',
  time: { path: 'at', format: 'yyyy-MM-dd HH:mm:ss', utcOffset: '+08:00' },
  total: { path: 'values.total', scale: 0.01 },
  flow: { path: 'values.q' },
  batteryLow: { path: 'alarms.battery' },
  valveOpen: { path: 'values.valve', map: { '1': true, '0': false } },
};

describe('the generic JSON decoder', () => {
  const d = jsonDecoder(vendorD);
  const payload = {
    device: { sn: 'D-0042' },
    at: '2026-03-01 08:15:00',
    values: { total: 123456, q: 0.42, valve: 1 },
    alarms: { battery: false },
  };

  it('decodes a configured fourth vendor', () => {
    expect(d.decode(payload)).toEqual({
      ok: true,
      reading: {
        meter: 'D-0042',
        ts: Date.UTC(2026, 2, 1, 0, 15),
        totalM3: 1234.56,
        flowM3h: 0.42,
        batteryLow: false,
        valveOpen: true,
      },
    });
  });

  it('takes numeric ids and numeric strings, and leaves absent optional fields out', () => {
    const r = d.decode({ device: { sn: 42 }, at: '2026-03-01 08:15:00', values: { total: '100' } });
    expect(r).toEqual({ ok: true, reading: { meter: '42', ts: Date.UTC(2026, 2, 1, 0, 15), totalM3: 1 } });
  });

  it('refuses wrong types in optional fields rather than dropping them silently', () => {
    const r = d.decode({ ...payload, alarms: { battery: 'yes' } });
    expect(!r.ok && r.error.code).toBe('WS_ERR_METER_FIELD_INVALID');
    expect(!r.ok && r.error.message).toContain('alarms.battery');
  });

  it('never walks into the prototype chain', () => {
    const proto = jsonDecoder({ ...vendorD, id: '__proto__.constructor' });
    const r = proto.decode(payload);
    expect(!r.ok && r.error.code).toBe('WS_ERR_METER_FIELD_MISSING');
  });

  it.each([
    ['iso8601', '2026-03-01T08:15:00+08:00', Date.UTC(2026, 2, 1, 0, 15)],
    ['iso8601', '2026-03-01T08:15:00', Date.UTC(2026, 2, 1, 0, 15)], // zone from utcOffset
    ['iso8601', '2026-03-01T00:15:00.250Z', Date.UTC(2026, 2, 1, 0, 15, 0, 250)],
    ['epoch-s', 1772324100, 1772324100_000],
    ['epoch-s', '1772324100', 1772324100_000],
    ['epoch-ms', 1772324100_123, 1772324100_123],
    ['yyyyMMddHHmmss', 20260301081500, Date.UTC(2026, 2, 1, 0, 15)],
    ['dd/MM/yyyy HH:mm', '01/03/2026 08:15', Date.UTC(2026, 2, 1, 0, 15)],
  ])('reads %s time %j', (format, at, ts) => {
    const r = jsonDecoder({ ...vendorD, time: { path: 'at', format, utcOffset: '+08:00' } }).decode({
      ...payload,
      at,
    });
    expect(r.ok && r.reading.ts).toBe(ts);
  });

  it.each([
    ['yyyyMMddHHmmssZ', 'neither a token'],
    ['HH:mm', 'lacks yyyy'],
    ['yyyy-MM-dd-yyyy', 'repeats yyyy'],
  ])('rejects the time format %s at configuration', (format, text) => {
    expect(() => jsonDecoder({ ...vendorD, time: { path: 'at', format } })).toThrow(text);
  });
});
