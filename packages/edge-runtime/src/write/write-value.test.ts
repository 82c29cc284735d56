import { describe, expect, it } from 'vitest';
import type { TagConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';
import { readBackMatches, toRawValue } from './write-value.js';

const setpoint: TagConfig = {
  name: 'sp',
  address: '1!400001',
  dataType: 'uint16',
  scale: 0.1,
  offset: 0,
  min: 0,
  max: 100,
  writable: true,
};

describe('toRawValue', () => {
  it('undoes the scaling and rounds to the register step', () => {
    expect(toRawValue('p', setpoint, 12.3)).toEqual({ ok: true, raw: 123 });
    expect(toRawValue('p', setpoint, 12.34)).toEqual({ ok: true, raw: 123 });
    expect(toRawValue('p', { ...setpoint, dataType: 'float', scale: 2, offset: 1 }, 5)).toEqual({
      ok: true,
      raw: 2,
    });
  });

  it('refuses values outside the write limits or the register, and of the wrong type', () => {
    const code = (v: unknown, tag = setpoint) => {
      const r = toRawValue('p', tag, v as number);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(100.1)).toBe(EdgeErrors.WRITE_LIMIT.code);
    expect(code(-1)).toBe(EdgeErrors.WRITE_LIMIT.code);
    expect(code(7000, { ...setpoint, max: undefined })).toBe(EdgeErrors.WRITE_VALUE.code);
    expect(code(true)).toBe(EdgeErrors.WRITE_VALUE.code);
    expect(code(Number.NaN)).toBe(EdgeErrors.WRITE_VALUE.code);
    expect(code(1, { ...setpoint, dataType: 'bool' })).toBe(EdgeErrors.WRITE_VALUE.code);
    expect(code(true, { ...setpoint, dataType: 'bool' })).toBe('ok');
    expect(code('on', { ...setpoint, dataType: 'string' })).toBe('ok');
  });
});

describe('readBackMatches', () => {
  it('allows the rounding of an integer register and float32 precision, nothing more', () => {
    expect(readBackMatches(setpoint, 12.34, 12.3)).toBe(true);
    expect(readBackMatches(setpoint, 12.3, 12.4)).toBe(false);
    const f: TagConfig = { ...setpoint, dataType: 'float', scale: undefined };
    expect(readBackMatches(f, 3.3, Math.fround(3.3))).toBe(true);
    expect(readBackMatches(f, 3.3, 3.31)).toBe(false);
    expect(readBackMatches({ ...setpoint, dataType: 'bool' }, true, true)).toBe(true);
    expect(readBackMatches({ ...setpoint, dataType: 'bool' }, true, false)).toBe(false);
  });
});
