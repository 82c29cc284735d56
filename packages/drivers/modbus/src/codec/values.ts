/**
 * Values ↔ registers. Modbus itself only moves 16-bit registers, sent big-endian (Application
 * Protocol V1.1b3 §4.2); how wider values and strings span registers is the device's choice, so
 * each tag names a byte order in Neuron's notation (digits = byte positions, 1 = most significant):
 *
 *   16-bit  #L  1,2 (default)   #B  2,1
 *   32-bit  #LL 1,2,3,4 (default)   #LB 2,1,4,3   #BL 3,4,1,2   #BB 4,3,2,1
 *   64-bit  #LL 12,34,56,78 (default)   #LB 21,43,65,87   #BL 78,56,34,12   #BB 87,65,43,21
 *
 * i.e. LB swaps the bytes inside each register, BL reverses the register order, BB does both.
 * Each is its own inverse, so one permutation serves encoding and decoding.
 */
import type { DataType } from '@watershed/model';

export type WordOrder = 'L' | 'B';
export type MultiWordOrder = 'LL' | 'LB' | 'BL' | 'BB';
export type ByteOrder = WordOrder | MultiWordOrder;
/** Neuron's string layouts: H two bytes high first, L two bytes low first, D one byte in the low half, E one byte in the high half. */
export type StringMode = 'H' | 'L' | 'D' | 'E';

export const BYTE_ORDERS: readonly ByteOrder[] = ['L', 'B', 'LL', 'LB', 'BL', 'BB'];
export const STRING_MODES: readonly StringMode[] = ['H', 'L', 'D', 'E'];

/** Registers a numeric data type occupies; strings and bits are sized by their address. */
export function registersFor(dataType: Exclude<DataType, 'string' | 'bool'>): number {
  switch (dataType) {
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float':
      return 2;
    case 'int64':
    case 'uint64':
    case 'double':
      return 4;
  }
}

/** Registers a string of `length` bytes occupies in a layout. */
export function stringRegisters(length: number, mode: StringMode): number {
  return mode === 'D' || mode === 'E' ? length : Math.ceil(length / 2);
}

/** Wire bytes (register by register, big-endian) ↔ value bytes, most significant first. */
function permute(bytes: Uint8Array, order: ByteOrder): void {
  const swapBytes = order === 'B' || order === 'LB' || order === 'BB';
  const reverseWords = order === 'BL' || order === 'BB';
  if (reverseWords) {
    const words = bytes.length / 2;
    for (let i = 0; i < words / 2; i++) {
      const j = words - 1 - i;
      const a0 = bytes[2 * i]!;
      const a1 = bytes[2 * i + 1]!;
      bytes[2 * i] = bytes[2 * j]!;
      bytes[2 * i + 1] = bytes[2 * j + 1]!;
      bytes[2 * j] = a0;
      bytes[2 * j + 1] = a1;
    }
  }
  if (swapBytes) {
    for (let i = 0; i < bytes.length; i += 2) {
      const t = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = t;
    }
  }
}

function defaultOrder(words: number): ByteOrder {
  return words === 1 ? 'L' : 'LL';
}

/**
 * Decodes a numeric value from `words` registers starting at `at`. 64-bit integers come back as
 * JS numbers: exact up to 2^53, rounded beyond (Sample values are JSON numbers).
 */
export function decodeNumber(
  dataType: Exclude<DataType, 'string' | 'bool'>,
  regs: Uint16Array,
  at: number,
  order?: ByteOrder,
): number {
  const words = registersFor(dataType);
  const bytes = new Uint8Array(words * 2);
  for (let i = 0; i < words; i++) {
    const r = regs[at + i] ?? 0;
    bytes[2 * i] = r >> 8;
    bytes[2 * i + 1] = r & 0xff;
  }
  permute(bytes, order ?? defaultOrder(words));
  const view = new DataView(bytes.buffer);
  switch (dataType) {
    case 'int16':
      return view.getInt16(0);
    case 'uint16':
      return view.getUint16(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint32':
      return view.getUint32(0);
    case 'float':
      return view.getFloat32(0);
    case 'int64':
      return Number(view.getBigInt64(0));
    case 'uint64':
      return Number(view.getBigUint64(0));
    case 'double':
      return view.getFloat64(0);
  }
}

/** Decodes a string of `length` bytes; it ends at the first NUL (devices pad with zeros). */
export function decodeString(regs: Uint16Array, at: number, length: number, mode: StringMode = 'H'): string {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    if (mode === 'D' || mode === 'E') {
      const r = regs[at + i] ?? 0;
      bytes[i] = mode === 'D' ? r & 0xff : r >> 8;
    } else {
      const r = regs[at + (i >> 1)] ?? 0;
      const high = (i & 1) === 0 ? mode === 'H' : mode === 'L';
      bytes[i] = high ? r >> 8 : r & 0xff;
    }
  }
  const nul = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, 0, nul < 0 ? length : nul).toString('latin1');
}

/** Why a value cannot be encoded for a data type, or undefined when it can. */
export function checkValue(dataType: DataType, value: unknown): string | undefined {
  if (dataType === 'bool')
    return typeof value === 'boolean' || value === 0 || value === 1 ? undefined : 'expected a boolean';
  if (dataType === 'string') return typeof value === 'string' ? undefined : 'expected a string';
  if (typeof value === 'bigint')
    return dataType.endsWith('64') ? undefined : 'a bigint fits only 64-bit types';
  if (typeof value !== 'number' || Number.isNaN(value)) return 'expected a number';
  if (dataType === 'float' || dataType === 'double') return undefined;
  if (!Number.isInteger(value)) return `${dataType} needs an integer`;
  const [min, max] = INT_RANGES[dataType];
  return value < min || value > max ? `${value} is outside ${dataType} range` : undefined;
}

const INT_RANGES: Record<'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64', [number, number]> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * The registers that hold `value` as `dataType` in a byte order (numbers) or string layout
 * (strings, `order` = H|L|D|E, default H; `length` pads or cuts to that many bytes).
 * Throws a RangeError for a value that does not fit; callers check with `checkValue` first.
 */
export function encodeValue(
  dataType: DataType,
  value: number | boolean | string | bigint,
  order?: string,
  length?: number,
): Uint16Array {
  const problem = checkValue(dataType, value);
  if (problem) throw new RangeError(`cannot encode ${String(value)} as ${dataType}: ${problem}`);
  if (dataType === 'bool') return Uint16Array.of(value === true || value === 1 ? 1 : 0);
  if (dataType === 'string') return encodeString(value as string, (order ?? 'H') as StringMode, length);
  const words = registersFor(dataType);
  const bytes = new Uint8Array(words * 2);
  const view = new DataView(bytes.buffer);
  switch (dataType) {
    case 'int16':
    case 'uint16':
      view.setUint16(0, Number(value) & 0xffff);
      break;
    case 'int32':
    case 'uint32':
      view.setUint32(0, Number(value) >>> 0);
      break;
    case 'float':
      view.setFloat32(0, Number(value));
      break;
    case 'int64':
    case 'uint64':
      view.setBigUint64(0, BigInt.asUintN(64, BigInt(value)));
      break;
    case 'double':
      view.setFloat64(0, Number(value));
      break;
  }
  permute(bytes, (order as ByteOrder | undefined) ?? defaultOrder(words));
  const out = new Uint16Array(words);
  for (let i = 0; i < words; i++) out[i] = (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  return out;
}

function encodeString(text: string, mode: StringMode, length?: number): Uint16Array {
  const src = Buffer.from(text, 'latin1');
  const n = length ?? src.length;
  const out = new Uint16Array(stringRegisters(n, mode));
  for (let i = 0; i < Math.min(n, src.length); i++) {
    const b = src[i]!;
    if (mode === 'D') out[i] = b;
    else if (mode === 'E') out[i] = b << 8;
    else {
      const high = (i & 1) === 0 ? mode === 'H' : mode === 'L';
      out[i >> 1]! |= high ? b << 8 : b;
    }
  }
  return out;
}
