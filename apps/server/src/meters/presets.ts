import type { DecoderConfig, JsonDecoderSpec } from './config.js';
import { jsonDecoder, type MeterDecoder } from './json-decoder.js';

/**
 * The three NB-IoT vendors' uplink formats, as generic decoder configurations: adding a
 * fourth vendor is a `{ type: json, … }` entry in `meters.vendors`, no code.
 */
export const VENDOR_PRESETS: Record<Exclude<DecoderConfig, JsonDecoderSpec>, JsonDecoderSpec> = {
  /** `{ imei, ts: ISO 8601 UTC, reading_m3, battery_pct, valve: "open" | "closed" }`. */
  'vendor-a': {
    type: 'json',
    id: 'imei',
    time: { path: 'ts', format: 'iso8601' },
    total: { path: 'reading_m3' },
    // The payload has a percentage, not a flag: 10 % is where NB-IoT meters commonly raise
    // their own low-battery alarm (a lithium cell's last year at one uplink every 15 min).
    batteryLow: { path: 'battery_pct', below: 10 },
    valveOpen: { path: 'valve', map: { open: true, closed: false } },
  },
  /** `{ devEui, time: epoch s, data: { totalFlow: litres, rssi } }`: no battery or valve state. */
  'vendor-b': {
    type: 'json',
    id: 'devEui',
    time: { path: 'time', format: 'epoch-s' },
    total: { path: 'data.totalFlow', scale: 0.001 },
  },
  /**
   * `{ meterNo, readTime: yyyyMMddHHmmss in China Standard Time (no zone in the text),
   * cumulant: integer 0.001 m³, status: bit 0x01 valve closed, 0x02 battery low }`.
   */
  'vendor-c': {
    type: 'json',
    id: 'meterNo',
    time: { path: 'readTime', format: 'yyyyMMddHHmmss', utcOffset: '+08:00' },
    total: { path: 'cumulant', scale: 0.001 },
    batteryLow: { path: 'status', mask: 0x02, whenSet: true },
    valveOpen: { path: 'status', mask: 0x01, whenSet: false },
  },
};

/** The decoder a vendor's config names; throws an Error when a generic spec cannot work. */
export function decoderFor(config: DecoderConfig): MeterDecoder {
  return jsonDecoder(typeof config === 'string' ? VENDOR_PRESETS[config] : config);
}
