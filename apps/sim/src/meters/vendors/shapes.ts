/**
 * The uplink payloads of three NB-IoT water meter vendors. Real fleets mix vendors whose
 * platforms each chose their own field names, units, time formats and status encodings; the
 * ingest side must normalise all three, so the simulator speaks each one exactly.
 */

export type Vendor = 'a' | 'b' | 'c';

/** One reading as the meter takes it, before a vendor encodes it. */
export interface MeterReading {
  /** Reading time, ms epoch (the meter's clock: the simulated calendar). */
  ts: number;
  /** Cumulative volume, m³ (the register, 0.01 m³ resolution). */
  totalM3: number;
  batteryPct: number;
  valveOpen: boolean;
  batteryLow: boolean;
  /** Received signal strength, dBm. */
  rssi: number;
}

/** Vendor A: `{ imei, ts (ISO 8601 UTC), reading_m3, battery_pct, valve: "open" | "closed" }`. */
export interface VendorAPayload {
  imei: string;
  ts: string;
  reading_m3: number;
  battery_pct: number;
  valve: 'open' | 'closed';
}

/** Vendor B: `{ devEui, time (epoch s), data: { totalFlow (litres), rssi (dBm) } }`. */
export interface VendorBPayload {
  devEui: string;
  time: number;
  data: { totalFlow: number; rssi: number };
}

/**
 * Vendor C: `{ meterNo, readTime: "yyyyMMddHHmmss" in China Standard Time (UTC+08:00, no zone
 * in the text), cumulant (integer, 0.001 m³), status (bit flags, see STATUS_C) }`.
 */
export interface VendorCPayload {
  meterNo: string;
  readTime: string;
  cumulant: number;
  status: number;
}

/** Vendor C status bits. */
export const STATUS_C = { VALVE_CLOSED: 0x01, BATTERY_LOW: 0x02 } as const;

/** Vendor C's meters keep local time, UTC+08:00. */
const CST_OFFSET_MS = 8 * 3600_000;

export function encodeA(id: string, r: MeterReading): VendorAPayload {
  return {
    imei: id,
    ts: new Date(r.ts).toISOString(),
    reading_m3: r.totalM3,
    battery_pct: r.batteryPct,
    valve: r.valveOpen ? 'open' : 'closed',
  };
}

export function encodeB(id: string, r: MeterReading): VendorBPayload {
  return {
    devEui: id,
    time: Math.floor(r.ts / 1000),
    // Litres as an integer: 0.01 m³ is 10 L, so nothing is lost.
    data: { totalFlow: Math.round(r.totalM3 * 1000), rssi: r.rssi },
  };
}

export function encodeC(id: string, r: MeterReading): VendorCPayload {
  const local = new Date(r.ts + CST_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const readTime =
    p(local.getUTCFullYear(), 4) +
    p(local.getUTCMonth() + 1) +
    p(local.getUTCDate()) +
    p(local.getUTCHours()) +
    p(local.getUTCMinutes()) +
    p(local.getUTCSeconds());
  return {
    meterNo: id,
    readTime,
    cumulant: Math.round(r.totalM3 * 1000),
    status: (r.valveOpen ? 0 : STATUS_C.VALVE_CLOSED) | (r.batteryLow ? STATUS_C.BATTERY_LOW : 0),
  };
}

/** What distinguishes a vendor: its device ids, its topic, its payload and its usual interval. */
export interface VendorProfile {
  /** The n-th device's id in the vendor's numbering. */
  idOf(n: number): string;
  /** MQTT topic a device publishes to. */
  topicOf(id: string): string;
  encode(id: string, r: MeterReading): VendorAPayload | VendorBPayload | VendorCPayload;
  /** The reporting interval the vendor's meters ship with, simulated seconds. */
  defaultIntervalS: number;
}

export const VENDORS: Record<Vendor, VendorProfile> = {
  a: {
    // A 15-digit IMEI: type allocation code 86xxxxxx + serial (the check digit is not modelled).
    idOf: (n) => `86${String(4_310_000_000_000 + n).padStart(13, '0')}`,
    topicOf: (id) => `vendor-a/meters/${id}/up`,
    encode: encodeA,
    defaultIntervalS: 900,
  },
  b: {
    // A 64-bit EUI under a made-up OUI, 16 upper-case hex digits.
    idOf: (n) => `70B3D5E75E${(0x100000 + n).toString(16).toUpperCase().padStart(6, '0')}`,
    topicOf: (id) => `vendorb/uplink/${id}`,
    encode: encodeB,
    defaultIntervalS: 3600,
  },
  c: {
    idOf: (n) => String(202_600_000_000 + n),
    topicOf: (id) => `vc/${id}/data`,
    encode: encodeC,
    defaultIntervalS: 86_400,
  },
};
