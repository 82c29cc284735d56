import { describe, expect, it } from 'vitest';
import {
  escapeKey,
  escapeMeasurement,
  fieldValue,
  formatTime,
  quoteString,
  toLine,
  type LineMapping,
} from './line-protocol.js';

const mapping: LineMapping = { measurement: 'water', tags: ['point'], timeField: 'ts', precision: 'ms' };

describe('line protocol', () => {
  // Cases from the spec's "Special characters" and "Escaping" examples.
  it('escapes measurement names: comma and space', () => {
    expect(escapeMeasurement('my Measurement')).toBe('my\\ Measurement');
    expect(escapeMeasurement('a,b=c')).toBe('a\\,b=c');
  });

  it('escapes tag keys, tag values and field keys: comma, equals and space', () => {
    expect(escapeKey('tag Key1')).toBe('tag\\ Key1');
    expect(escapeKey('a=b,c d')).toBe('a\\=b\\,c\\ d');
  });

  it('quotes string field values, escaping double quote and backslash', () => {
    expect(quoteString('too hot')).toBe('"too hot"');
    expect(quoteString('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteString('C:\\path')).toBe('"C:\\\\path"');
    expect(quoteString('a,b=c d')).toBe('"a,b=c d"');
  });

  it('writes numbers as floats, booleans as t/f, and leaves out what it cannot express', () => {
    expect(fieldValue(1)).toBe('1');
    expect(fieldValue(-2.5)).toBe('-2.5');
    expect(fieldValue(true)).toBe('t');
    expect(fieldValue(false)).toBe('f');
    expect(fieldValue(12n)).toBe('12i');
    expect(fieldValue({ a: 1 })).toBe('"{\\"a\\":1}"');
    expect(fieldValue(null)).toBeUndefined();
    expect(fieldValue(Number.NaN)).toBeUndefined();
    expect(fieldValue(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('formats timestamps in each precision, exactly (ns is past 2^53)', () => {
    const ms = 1_700_000_000_123;
    expect(formatTime(ms, 'ms')).toBe('1700000000123');
    expect(formatTime(ms, 's')).toBe('1700000000');
    expect(formatTime(ms, 'us')).toBe('1700000000123000');
    expect(formatTime(ms, 'ns')).toBe('1700000000123000000');
  });

  it('maps a row: measurement, sorted tags, the other fields, the time', () => {
    const row = {
      point: 'north.plc 1.g.flow',
      site: 'north',
      ts: 1_700_000_000_000,
      value: 12.5,
      quality: 'good',
    };
    expect(toLine(row, { ...mapping, tags: ['site', 'point'] })).toBe(
      'water,point=north.plc\\ 1.g.flow,site=north value=12.5,quality="good" 1700000000000',
    );
    expect(toLine(row, { ...mapping, fields: ['value'], precision: 's' })).toBe(
      'water,point=north.plc\\ 1.g.flow value=12.5 1700000000',
    );
  });

  it('takes the measurement from a field, leaves out null tags and fields, omits a missing time', () => {
    const row = { kind: 'pump state', point: null, on: true, value: null };
    expect(toLine(row, { ...mapping, measurementField: 'kind' })).toBe('pump\\ state on=t');
  });

  it('refuses rows it cannot express, naming why', () => {
    expect(() => toLine({ point: 'p', value: null }, mapping)).toThrow(/no field with a value/);
    expect(() => toLine({ point: 'a\nb', value: 1 }, mapping)).toThrow(/newline in key or tag value/);
    expect(() => toLine({ value: 1 }, { ...mapping, measurementField: 'm' })).toThrow(/no measurement/);
  });
});
