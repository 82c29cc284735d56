/**
 * Values between OPC UA Variants and samples: decoding what a server sent into the tag's data
 * type, encoding a sample value into the built-in type a write needs (Part 6 §5.1.2 ranges).
 * Pure functions on the plain shapes of session/types.ts.
 */
import type { DataType, Sample, SampleValue } from '@watershed/model';
import type { BuiltInType } from '../address.js';
import { OpcuaErrors } from '../errors.js';
import type { UaDataValue } from '../session/types.js';
import { qualityOf } from './status.js';

const TWO_32 = 2 ** 32;

/** node-opcua carries 64-bit integers as [high, low] 32-bit words. */
function fromWords(v: unknown, signed: boolean): number | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [hi, lo] = v as [number, number];
  const high = signed ? hi | 0 : hi >>> 0;
  return high * TWO_32 + (lo >>> 0);
}

/** Two's complement words, each unsigned, as node-opcua's encoder expects them. */
function toWords(n: number): [number, number] {
  const hi = Math.floor(n / TWO_32);
  return [hi >>> 0, n - hi * TWO_32];
}

/** The scalar as a JS primitive, or undefined when it has no scalar reading. */
function primitive(dv: UaDataValue): SampleValue | Date | undefined {
  const v = dv.value;
  if (dv.builtInType === 'Int64') return fromWords(v, true);
  if (dv.builtInType === 'UInt64') return fromWords(v, false);
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Date) return v;
  // LocalizedText (Part 3 §8.5) and QualifiedName carry their text in `text` / `name`.
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  if (typeof v === 'object' && 'name' in v && typeof v.name === 'string') return v.name;
  return undefined;
}

function convert(p: SampleValue | Date, dataType: DataType): SampleValue | undefined {
  if (p === null) return null;
  if (dataType === 'string') return p instanceof Date ? p.toISOString() : String(p);
  if (dataType === 'bool') {
    if (typeof p === 'boolean') return p;
    if (typeof p === 'number') return p !== 0;
    return undefined;
  }
  if (typeof p === 'number') return p;
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (p instanceof Date) return p.getTime();
  return undefined;
}

/**
 * A DataValue as a sample of the tag. Quality follows the StatusCode's severity; the value is
 * kept for Good and Uncertain (an uncertain reading is still the best there is) and dropped for
 * Bad. The timestamp is the source time when the server gives one, else its server time.
 */
export function toSample(dv: UaDataValue, dataType: DataType, now: number): Sample {
  const ts = dv.sourceTimestamp ?? dv.serverTimestamp ?? now;
  const quality = qualityOf(dv.status.code);
  if (quality === 'bad') return { ts, value: null, quality, reason: dv.status.name };
  const p = dv.isArray ? undefined : primitive(dv);
  const value = p === undefined ? undefined : convert(p, dataType);
  if (value === undefined) return { ts, value: null, quality: 'bad', reason: OpcuaErrors.VALUE_TYPE.code };
  return dv.status.code === 0 ? { ts, value, quality } : { ts, value, quality, reason: dv.status.name };
}

const INT_RANGES: Partial<Record<BuiltInType, readonly [number, number]>> = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32768, 32767],
  UInt16: [0, 65535],
  Int32: [-(2 ** 31), 2 ** 31 - 1],
  UInt32: [0, 2 ** 32 - 1],
  Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UInt64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * A sample value as the Variant value node-opcua writes for `type`; throws WRITE_VALUE when it
 * does not fit (a write is never silently rounded or clamped).
 */
export function encodeWrite(value: SampleValue, type: BuiltInType, address: string): unknown {
  const reject = (why: string): never => {
    throw OpcuaErrors.WRITE_VALUE.create([JSON.stringify(value), address, why]);
  };
  if (value === null) return reject('null cannot be written');
  switch (type) {
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      return reject('expected a boolean');
    case 'String':
      return typeof value === 'string' ? value : String(value);
    case 'DateTime': {
      const d = new Date(typeof value === 'boolean' ? NaN : value);
      return Number.isNaN(d.getTime()) ? reject('expected a date (ISO text or ms epoch)') : d;
    }
    case 'Float':
    case 'Double': {
      const n = typeof value === 'boolean' ? Number(value) : Number(value);
      if (!Number.isFinite(n)) return reject(`expected a finite number for ${type}`);
      if (type === 'Float' && Math.abs(n) > 3.4028234663852886e38) return reject('outside the Float range');
      return n;
    }
    default: {
      const n = typeof value === 'boolean' ? Number(value) : Number(value);
      const [min, max] = INT_RANGES[type]!;
      if (!Number.isInteger(n)) return reject(`expected an integer for ${type}`);
      if (n < min || n > max) return reject(`outside ${type} range ${min}..${max}`);
      return type === 'Int64' || type === 'UInt64' ? toWords(n) : n;
    }
  }
}
