import { describe, expect, it } from 'vitest';
import { decodeNumber, decodeString, encodeValue } from './values.js';

const words = (a: Uint16Array): string[] => Array.from(a, (w) => w.toString(16).padStart(4, '0'));

describe('byte orders (Neuron notation)', () => {
  // 123.456f = 0x42F6E979: bytes 1,2,3,4 = 42 F6 E9 79.
  it.each([
    ['LL', ['42f6', 'e979']],
    ['LB', ['f642', '79e9']],
    ['BL', ['e979', '42f6']],
    ['BB', ['79e9', 'f642']],
  ] as const)('float #%s', (order, expected) => {
    const regs = encodeValue('float', 123.456, order);
    expect(words(regs)).toEqual(expected);
    expect(decodeNumber('float', regs, 0, order)).toBeCloseTo(123.456, 4);
  });

  it('defaults to big-endian: #L for 16-bit, #LL for 32/64-bit', () => {
    expect(words(encodeValue('int16', -2))).toEqual(['fffe']);
    expect(words(encodeValue('uint32', 0x12345678))).toEqual(['1234', '5678']);
    expect(words(encodeValue('int64', 0x0102030405060708n))).toEqual(['0102', '0304', '0506', '0708']);
  });

  it('#B swaps the bytes of a 16-bit value', () => {
    expect(words(encodeValue('uint16', 0x1234, 'B'))).toEqual(['3412']);
    expect(decodeNumber('uint16', Uint16Array.of(0x3412), 0, 'B')).toBe(0x1234);
  });

  it('64-bit orders: LB 21436587, BL 78563412, BB 87654321', () => {
    const v = 0x0102030405060708n;
    expect(words(encodeValue('uint64', v, 'LB'))).toEqual(['0201', '0403', '0605', '0807']);
    expect(words(encodeValue('uint64', v, 'BL'))).toEqual(['0708', '0506', '0304', '0102']);
    expect(words(encodeValue('uint64', v, 'BB'))).toEqual(['0807', '0605', '0403', '0201']);
    expect(decodeNumber('double', encodeValue('double', Math.PI, 'BL'), 0, 'BL')).toBe(Math.PI);
  });

  it('signed and unsigned decode differ only in interpretation', () => {
    const regs = Uint16Array.of(0xffff, 0xfffe);
    expect(decodeNumber('int32', regs, 0)).toBe(-2);
    expect(decodeNumber('uint32', regs, 0)).toBe(0xfffffffe);
    expect(decodeNumber('int16', regs, 1)).toBe(-2);
  });

  it('refuses values that do not fit', () => {
    expect(() => encodeValue('uint16', 70000)).toThrow(RangeError);
    expect(() => encodeValue('int16', 1.5)).toThrow(/integer/);
    expect(() => encodeValue('bool', 'yes')).toThrow(/boolean/);
  });
});

describe('strings (.LEN H/L/D/E)', () => {
  it('H packs two bytes per register, high first; decoding stops at NUL', () => {
    const regs = encodeValue('string', 'PUMP1', 'H', 8);
    expect(words(regs)).toEqual(['5055', '4d50', '3100', '0000']);
    expect(decodeString(regs, 0, 8, 'H')).toBe('PUMP1');
  });
  it('L packs low first; D and E use one register per byte', () => {
    expect(words(encodeValue('string', 'AB', 'L'))).toEqual(['4241']);
    expect(words(encodeValue('string', 'AB', 'D'))).toEqual(['0041', '0042']);
    expect(words(encodeValue('string', 'AB', 'E'))).toEqual(['4100', '4200']);
    expect(decodeString(Uint16Array.of(0x4100, 0x4200), 0, 2, 'E')).toBe('AB');
  });
});
