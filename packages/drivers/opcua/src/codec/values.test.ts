import { describe, expect, it } from 'vitest';
import type { UaDataValue } from '../session/types.js';
import { qualityOf } from './status.js';
import { encodeWrite, toSample } from './values.js';

const GOOD = { code: 0, name: 'Good' };
const dv = (value: unknown, builtInType: string, extra: Partial<UaDataValue> = {}): UaDataValue => ({
  value,
  builtInType,
  isArray: false,
  status: GOOD,
  ...extra,
});

describe('qualityOf (Part 4 §7.39 severity bits)', () => {
  it('maps the Good, Uncertain and Bad families', () => {
    expect(qualityOf(0)).toBe('good');
    expect(qualityOf(0x00a20000)).toBe('good'); // GoodClamped
    expect(qualityOf(0x40900000)).toBe('uncertain'); // UncertainLastUsableValue
    expect(qualityOf(0x80340000)).toBe('bad'); // BadNodeIdUnknown
    expect(qualityOf(0xc0000000)).toBe('bad'); // reserved severity
  });
});

describe('toSample', () => {
  it('prefers the source timestamp, then the server timestamp, then now', () => {
    expect(toSample(dv(1, 'Double', { sourceTimestamp: 10, serverTimestamp: 20 }), 'double', 30).ts).toBe(10);
    expect(toSample(dv(1, 'Double', { serverTimestamp: 20 }), 'double', 30).ts).toBe(20);
    expect(toSample(dv(1, 'Double'), 'double', 30).ts).toBe(30);
  });

  it('decodes 64-bit words, booleans, text and dates into the tag type', () => {
    expect(toSample(dv([0xffffffff, 0xfffffffe], 'Int64'), 'int64', 0).value).toBe(-2);
    expect(toSample(dv([1, 5], 'UInt64'), 'uint64', 0).value).toBe(2 ** 32 + 5);
    expect(toSample(dv(true, 'Boolean'), 'int16', 0).value).toBe(1);
    expect(toSample(dv(0, 'Int32'), 'bool', 0).value).toBe(false);
    expect(toSample(dv({ text: 'hello', locale: 'en' }, 'LocalizedText'), 'string', 0).value).toBe('hello');
    expect(toSample(dv(new Date(5000), 'DateTime'), 'string', 0).value).toBe('1970-01-01T00:00:05.000Z');
    expect(toSample(dv(new Date(5000), 'DateTime'), 'double', 0).value).toBe(5000);
  });

  it('keeps uncertain values with the code name, drops bad ones', () => {
    const u = { code: 0x40900000, name: 'UncertainLastUsableValue' };
    expect(toSample(dv(7, 'Double', { status: u }), 'double', 1)).toEqual({
      ts: 1,
      value: 7,
      quality: 'uncertain',
      reason: 'UncertainLastUsableValue',
    });
    const b = { code: 0x808b0000, name: 'BadSensorFailure' };
    expect(toSample(dv(7, 'Double', { status: b }), 'double', 1)).toEqual({
      ts: 1,
      value: null,
      quality: 'bad',
      reason: 'BadSensorFailure',
    });
  });

  it('marks values the tag cannot carry as bad', () => {
    expect(toSample(dv([1, 2, 3], 'Double', { isArray: true }), 'double', 0)).toMatchObject({
      quality: 'bad',
      reason: 'WS_ERR_OPCUA_VALUE_TYPE',
    });
    expect(toSample(dv('abc', 'String'), 'double', 0)).toMatchObject({ quality: 'bad' });
  });
});

describe('encodeWrite', () => {
  it('encodes into the built-in type', () => {
    expect(encodeWrite(true, 'Boolean', 'a')).toBe(true);
    expect(encodeWrite(1, 'Boolean', 'a')).toBe(true);
    expect(encodeWrite(2.5, 'Float', 'a')).toBe(2.5);
    expect(encodeWrite(-2, 'Int64', 'a')).toEqual([0xffffffff, 0xfffffffe]);
    expect(encodeWrite(2 ** 32 + 5, 'UInt64', 'a')).toEqual([1, 5]);
    expect(encodeWrite(12, 'String', 'a')).toBe('12');
    expect(encodeWrite('2026-11-27T00:00:00Z', 'DateTime', 'a')).toEqual(new Date('2026-11-27T00:00:00Z'));
  });

  it('refuses what does not fit instead of rounding or clamping', () => {
    const code = { code: 'WS_ERR_OPCUA_WRITE_VALUE' };
    expect(() => encodeWrite(256, 'Byte', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite(1.5, 'Int16', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite(-1, 'UInt32', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite(null, 'Double', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite('x', 'Double', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite(2, 'Boolean', 'a')).toThrow(expect.objectContaining(code));
    expect(() => encodeWrite(1e39, 'Float', 'a')).toThrow(expect.objectContaining(code));
  });
});
