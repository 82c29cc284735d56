/**
 * CJ/T 188-2004 link frame (§ "帧格式"):
 *
 *   [FE …] 68H  T  A0..A6  C  L  DI0 DI1 SER  data…  CS  16H
 *
 * - FEH: optional wake-up preamble (the master sends a few before a frame so a sleeping meter's
 *   UART settles); receivers skip them.
 * - T: meter type (10H cold water, 11H hot water, 20H heat, 30H gas …).
 * - A0..A6: address, BCD, low byte first (see address.ts).
 * - C: control code. D7 direction (0 master→meter, 1 meter→master), D6 abnormal answer,
 *   D5..D0 function (01H read data, 03H read address, 04H write data, …).
 * - L: length of the data field, which begins with the data identifier DI and the sequence SER.
 *   CJ/T 188-2004 sends DI high byte first (901FH goes out as 90 1F), unlike the 2018 edition
 *   (as ng-gateway notes: https://ng-gateway.com/southward/cjt188/address-di.html).
 * - CS: sum mod 256 of every byte from 68H up to the last data byte.
 */
import { readAddress, writeAddress, ADDRESS_BYTES } from './address.js';

export const START = 0x68;
export const END = 0x16;
export const PREAMBLE = 0xfe;
/** 68 T A0..A6 C L */
export const HEADER_BYTES = 3 + ADDRESS_BYTES + 1;
/** DI0 DI1 SER, present in every frame's data field. */
export const DI_SER_BYTES = 3;

export const CONTROL = {
  /** D7: set on frames from the meter. */
  RESPONSE: 0x80,
  /** D6: set when the meter could not do what was asked. */
  ABNORMAL: 0x40,
  FUNCTION_MASK: 0x3f,
  READ_DATA: 0x01,
  READ_ADDRESS: 0x03,
  WRITE_DATA: 0x04,
} as const;

export interface Frame {
  readonly meterType: number;
  /** Printed form, A6..A0 (see address.ts). */
  readonly address: string;
  readonly control: number;
  /** Data identifier as written in the standard's tables, e.g. 0x901F. */
  readonly di: number;
  readonly ser: number;
  /** The data after DI and SER. */
  readonly payload: Uint8Array;
}

export function isResponse(f: Frame): boolean {
  return (f.control & CONTROL.RESPONSE) !== 0;
}

export function isAbnormal(f: Frame): boolean {
  return (f.control & CONTROL.ABNORMAL) !== 0;
}

export function functionOf(f: Frame): number {
  return f.control & CONTROL.FUNCTION_MASK;
}

export function checksum(bytes: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += bytes[i] ?? 0;
  return s & 0xff;
}

/** Encodes one frame, with `preamble` FEH bytes in front (0 for none; masters usually send 2–4). */
export function encodeFrame(f: Frame, preamble = 0): Uint8Array {
  const len = DI_SER_BYTES + f.payload.length;
  if (len > 0xff) throw new RangeError(`CJ/T 188 data field of ${len} bytes exceeds 255`);
  const out = new Uint8Array(preamble + HEADER_BYTES + len + 2);
  out.fill(PREAMBLE, 0, preamble);
  let o = preamble;
  out[o++] = START;
  out[o++] = f.meterType & 0xff;
  writeAddress(out, o, f.address);
  o += ADDRESS_BYTES;
  out[o++] = f.control & 0xff;
  out[o++] = len;
  out[o++] = (f.di >> 8) & 0xff;
  out[o++] = f.di & 0xff;
  out[o++] = f.ser & 0xff;
  out.set(f.payload, o);
  o += f.payload.length;
  out[o] = checksum(out, preamble, o);
  out[o + 1] = END;
  return out;
}

/**
 * Decodes one whole frame that starts at 68H (no preamble); returns a reason string when the
 * bytes are not a valid frame.
 */
export function decodeFrame(bytes: Uint8Array): Frame | string {
  if (bytes.length < HEADER_BYTES + 2) return `frame of ${bytes.length} bytes is too short`;
  if (bytes[0] !== START) return 'frame does not start with 68H';
  const len = bytes[HEADER_BYTES - 1] ?? 0;
  const total = HEADER_BYTES + len + 2;
  if (bytes.length !== total) return `length field says ${total} bytes, frame has ${bytes.length}`;
  if (bytes[total - 1] !== END) return 'frame does not end with 16H';
  const cs = checksum(bytes, 0, total - 2);
  if (bytes[total - 2] !== cs) return `checksum ${hex(bytes[total - 2] ?? 0)} ≠ ${hex(cs)}`;
  if (len < DI_SER_BYTES) return `data field of ${len} bytes has no DI and SER`;
  const d = HEADER_BYTES;
  return {
    meterType: bytes[1] ?? 0,
    address: readAddress(bytes, 2),
    control: bytes[HEADER_BYTES - 2] ?? 0,
    di: ((bytes[d] ?? 0) << 8) | (bytes[d + 1] ?? 0),
    ser: bytes[d + 2] ?? 0,
    payload: bytes.slice(d + DI_SER_BYTES, d + len),
  };
}

export function hex(n: number, digits = 2): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}
