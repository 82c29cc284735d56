/**
 * The application messages the driver and the concentrator exchange, on top of frame.ts. Data
 * identifiers and layouts follow CJ/T 188-2004 (data identifier table and the cold-water meter
 * data formats):
 *
 * - 901FH, C=01H, read metering data. Answer C=81H, L=16H: current cumulative flow (4 BCD,
 *   XXXXXX.XX) + unit, settlement-date cumulative flow (4 BCD) + unit, real time (7 BCD,
 *   YYYYMMDDhhmmss, sent low byte first like every multi-byte field: ss mm hh DD MM YY YY),
 *   status ST (2 bytes).
 * - A017H, C=04H, valve control: one byte 55H open / 99H close. Answer C=84H, L=05H: ST.
 * - 810AH, C=03H, read address: no data; answer C=83H, L=03H, the meter's address in the
 *   address field. Sent to AAAAAAAAAAAAAAH it finds the only meter on a point-to-point line.
 *
 * ST byte 0 (first on the wire): D1 D0 valve (00 open, 01 closed, 11 abnormal), D2 battery
 * (1 = low). Byte 1 is vendor-defined and passed through as the high byte of `status`.
 */
import { readBcdLE, writeBcdLE, toBcdByte, fromBcdByte } from './bcd.js';
import { CONTROL, hex, type Frame } from './frame.js';

export const DI = {
  METER_DATA: 0x901f,
  READ_ADDRESS: 0x810a,
  VALVE: 0xa017,
} as const;

export const METER_TYPE_COLD_WATER = 0x10;

/** Unit codes of the standard's unit table; the ones water meters use plus a few others. */
export const UNIT = {
  WH: 0x02,
  KWH: 0x05,
  MWH: 0x08,
  J: 0x01,
  KJ: 0x0b,
  MJ: 0x0e,
  GJ: 0x11,
  W: 0x14,
  KW: 0x17,
  MW: 0x1a,
  L: 0x29,
  M3: 0x2c,
  L_PER_H: 0x32,
  M3_PER_H: 0x35,
} as const;

export const VALVE_OPEN = 0x55;
export const VALVE_CLOSE = 0x99;

export type ValveState = 'open' | 'closed' | 'abnormal';

export interface MeterStatus {
  readonly valve: ValveState;
  readonly batteryLow: boolean;
  /** Both ST bytes as one number, byte 0 in the low 8 bits. */
  readonly raw: number;
}

/** Wall-clock fields as the meter keeps them (local time, no zone). */
export interface MeterTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export interface MeterData {
  /** Current cumulative flow, in `unit`; two decimals. */
  readonly total: number;
  readonly unit: number;
  readonly settlementTotal: number;
  readonly settlementUnit: number;
  readonly time: MeterTime;
  readonly status: MeterStatus;
}

const METER_DATA_BYTES = 4 + 1 + 4 + 1 + 7 + 2;

export function encodeStatus(s: { valve: ValveState; batteryLow: boolean; vendor?: number }): Uint8Array {
  const valveBits = s.valve === 'open' ? 0b00 : s.valve === 'closed' ? 0b01 : 0b11;
  return Uint8Array.of(valveBits | (s.batteryLow ? 0b100 : 0), (s.vendor ?? 0) & 0xff);
}

export function decodeStatus(bytes: Uint8Array, offset = 0): MeterStatus {
  const b0 = bytes[offset] ?? 0;
  const b1 = bytes[offset + 1] ?? 0;
  const v = b0 & 0b11;
  return {
    valve: v === 0b00 ? 'open' : v === 0b01 ? 'closed' : 'abnormal',
    batteryLow: (b0 & 0b100) !== 0,
    raw: b0 | (b1 << 8),
  };
}

/** Payload of the 901FH answer. Totals are rounded to the register's 0.01 resolution. */
export function encodeMeterData(d: MeterData & { vendorStatus?: number }): Uint8Array {
  const out = new Uint8Array(METER_DATA_BYTES);
  writeBcdLE(out, 0, Math.round(d.total * 100), 4);
  out[4] = d.unit;
  writeBcdLE(out, 5, Math.round(d.settlementTotal * 100), 4);
  out[9] = d.settlementUnit;
  const t = d.time;
  const fields = [t.second, t.minute, t.hour, t.day, t.month, t.year % 100, Math.floor(t.year / 100)];
  fields.forEach((f, i) => (out[10 + i] = toBcdByte(f)));
  out.set(
    encodeStatus({
      valve: d.status.valve,
      batteryLow: d.status.batteryLow,
      vendor: d.vendorStatus ?? d.status.raw >> 8,
    }),
    17,
  );
  return out;
}

export function decodeMeterData(payload: Uint8Array): MeterData | string {
  if (payload.length < METER_DATA_BYTES)
    return `901F data of ${payload.length} bytes, expected ${METER_DATA_BYTES}`;
  const total = readBcdLE(payload, 0, 4);
  const settlement = readBcdLE(payload, 5, 4);
  if (total === undefined) return 'current cumulative flow is not BCD';
  if (settlement === undefined) return 'settlement-date cumulative flow is not BCD';
  const t: number[] = [];
  for (let i = 0; i < 7; i++) {
    const v = fromBcdByte(payload[10 + i] ?? 0xff);
    if (v < 0) return 'real time is not BCD';
    t.push(v);
  }
  const [second = 0, minute = 0, hour = 0, day = 0, month = 0, yy = 0, cc = 0] = t;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return `real time ${cc}${yy}-${month}-${day} ${hour}:${minute}:${second} is not a date`;
  return {
    total: total / 100,
    unit: payload[4] ?? 0,
    settlementTotal: settlement / 100,
    settlementUnit: payload[9] ?? 0,
    time: { year: cc * 100 + yy, month, day, hour, minute, second },
    status: decodeStatus(payload, 17),
  };
}

/** ISO-8601 local date-time without a zone: the meter's clock says nothing about its zone. */
export function formatMeterTime(t: MeterTime): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(t.year, 4)}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
}

/** Volume in m³ whatever the unit code (L or m³); undefined for units that are not volumes. */
export function toCubicMetres(value: number, unit: number): number | undefined {
  if (unit === UNIT.M3) return value;
  if (unit === UNIT.L) return value / 1000;
  return undefined;
}

// ---- requests (master → meter) and answers (meter → master) ---------------------------------

export function readDataRequest(meterType: number, address: string, ser: number): Frame {
  return {
    meterType,
    address,
    control: CONTROL.READ_DATA,
    di: DI.METER_DATA,
    ser,
    payload: new Uint8Array(0),
  };
}

export function readAddressRequest(meterType: number, address: string, ser: number): Frame {
  return {
    meterType,
    address,
    control: CONTROL.READ_ADDRESS,
    di: DI.READ_ADDRESS,
    ser,
    payload: new Uint8Array(0),
  };
}

export function valveRequest(meterType: number, address: string, ser: number, open: boolean): Frame {
  return {
    meterType,
    address,
    control: CONTROL.WRITE_DATA,
    di: DI.VALVE,
    ser,
    payload: Uint8Array.of(open ? VALVE_OPEN : VALVE_CLOSE),
  };
}

/** The answer to `request`: same type, address (the meter's own for a broadcast), DI and SER. */
export function answer(request: Frame, payload: Uint8Array, address = request.address): Frame {
  return { ...request, address, control: CONTROL.RESPONSE | request.control, payload };
}

/** The abnormal answer (C with D6 set); the payload carries ST. */
export function abnormalAnswer(request: Frame, status: Uint8Array): Frame {
  return { ...request, control: CONTROL.RESPONSE | CONTROL.ABNORMAL | request.control, payload: status };
}

export function describeDi(di: number): string {
  return `${hex(di, 4)}H`;
}
