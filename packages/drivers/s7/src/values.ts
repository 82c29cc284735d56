/**
 * Values of S7 elementary types in PLC memory: big-endian, REAL/LREAL as IEEE 754, CHAR and
 * STRING as single-byte characters (latin1, what S7-300/400 CPUs store).
 */
import type { SampleValue } from '@watershed/model';
import type { S7Address } from './address.js';

export function decodeValue(a: S7Address, bytes: Uint8Array, at: number): SampleValue {
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, a.size);
  switch (a.type) {
    case 'BOOL':
      return ((bytes[at]! >> a.bit) & 1) === 1;
    case 'BYTE':
    case 'USINT':
      return v.getUint8(0);
    case 'SINT':
      return v.getInt8(0);
    case 'CHAR':
      return String.fromCharCode(v.getUint8(0));
    case 'WORD':
    case 'UINT':
      return v.getUint16(0);
    case 'INT':
      return v.getInt16(0);
    case 'DWORD':
    case 'UDINT':
      return v.getUint32(0);
    case 'DINT':
      return v.getInt32(0);
    case 'REAL':
      return v.getFloat32(0);
    case 'LREAL':
      return v.getFloat64(0);
    case 'STRING': {
      // Octet 0 is the declared maximum, octet 1 the current length; trust neither beyond the tag.
      const length = Math.min(v.getUint8(1), a.maxLength);
      return Buffer.from(bytes.subarray(at + 2, at + 2 + length)).toString('latin1');
    }
  }
}

const INT_RANGES: Partial<Record<S7Address['type'], readonly [number, number]>> = {
  BYTE: [0, 0xff],
  USINT: [0, 0xff],
  SINT: [-128, 127],
  WORD: [0, 0xffff],
  UINT: [0, 0xffff],
  INT: [-32768, 32767],
  DWORD: [0, 0xffff_ffff],
  UDINT: [0, 0xffff_ffff],
  DINT: [-2147483648, 2147483647],
};

/**
 * The bytes to write for a value, or a message saying why it cannot be written. A BOOL is one
 * byte holding 0 or 1 (a Write Var item of transport size BIT).
 */
export function encodeValue(a: S7Address, value: SampleValue): Uint8Array | string {
  if (a.type === 'BOOL') {
    if (typeof value !== 'boolean' && value !== 0 && value !== 1) return 'a BOOL takes true/false or 0/1';
    return Uint8Array.of(value === true || value === 1 ? 1 : 0);
  }
  if (a.type === 'STRING' || a.type === 'CHAR') {
    if (typeof value !== 'string') return `${a.type} takes a string`;
    if ([...value].some((c) => c.charCodeAt(0) > 0xff)) return 'only latin1 characters fit an S7 string';
    const raw = Buffer.from(value, 'latin1');
    if (a.type === 'CHAR') {
      if (raw.length !== 1) return 'a CHAR takes exactly one character';
      return Uint8Array.from(raw);
    }
    if (raw.length > a.maxLength) return `longer than STRING[${a.maxLength}]`;
    // Writing the whole declared string keeps the max-length octet and clears stale characters.
    const out = new Uint8Array(a.size);
    out[0] = a.maxLength;
    out[1] = raw.length;
    out.set(raw, 2);
    return out;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${a.type} takes a finite number`;
  const out = new Uint8Array(a.size);
  const v = new DataView(out.buffer);
  if (a.type === 'REAL') {
    if (Math.abs(value) > 3.4028234663852886e38) return 'out of REAL range';
    v.setFloat32(0, value);
    return out;
  }
  if (a.type === 'LREAL') {
    v.setFloat64(0, value);
    return out;
  }
  const range = INT_RANGES[a.type]!;
  if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
    return `${a.type} takes an integer in ${range[0]}..${range[1]}`;
  }
  if (a.size === 1) v.setUint8(0, value & 0xff);
  else if (a.size === 2) v.setUint16(0, value & 0xffff);
  else v.setUint32(0, value >>> 0);
  return out;
}
