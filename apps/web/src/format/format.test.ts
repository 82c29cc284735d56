import { describe, expect, it } from 'vitest';
import { formatAge, formatNumber, formatValue } from './format.js';

describe('formatValue', () => {
  it('shows booleans as plant states', () => {
    expect(formatValue(true, { quantity: 'status' })).toBe('Running');
    expect(formatValue(false, {})).toBe('Stopped');
    expect(formatValue(true, { quantity: 'setting' })).toBe('On');
    expect(formatValue(false, { quantity: 'status', writable: true, tag: 'P10_CMD' })).toBe('Off');
    expect(formatValue(true, { quantity: 'status', writable: true, tag: 'P10_AUTO' })).toBe('Auto');
    expect(formatValue(false, { quantity: 'status', tag: 'P10_RUN' })).toBe('Stopped');
  });

  it('shows a missing value as a dash', () => {
    expect(formatValue(null, {})).toBe('—');
    expect(formatValue(undefined, {})).toBe('—');
  });

  it('rounds integer data types and groups thousands', () => {
    expect(formatValue(12345.6, { dataType: 'uint32' })).toBe('12\u2009346');
  });

  it('passes strings through', () => {
    expect(formatValue('LOCAL', {})).toBe('LOCAL');
  });
});

describe('formatNumber', () => {
  it('scales decimals with magnitude', () => {
    expect(formatNumber(1234.56)).toBe('1\u2009235');
    expect(formatNumber(456.78)).toBe('456.8');
    expect(formatNumber(7.214)).toBe('7.21');
    expect(formatNumber(0.4237)).toBe('0.424');
    expect(formatNumber(0.004237)).toBe('0.0042');
    expect(formatNumber(0.097)).toBe('0.097');
    expect(formatNumber(0)).toBe('0');
  });

  it('never prints negative zero', () => {
    expect(formatNumber(-0.0000001)).toBe('0.0000');
    expect(formatNumber(-0.001)).toBe('-0.0010');
  });
});

describe('formatAge', () => {
  it('uses the largest sensible unit', () => {
    expect(formatAge(4_200)).toBe('4 s');
    expect(formatAge(12 * 60_000)).toBe('12 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(72 * 3_600_000)).toBe('3 d');
    expect(formatAge(-50)).toBe('0 s');
  });
});
