import { describe, expect, it } from 'vitest';
import { isBcd, readBcdLE, writeBcdLE } from './bcd.js';
import { readAddress, writeAddress, isMeterAddress } from './address.js';

describe('BCD', () => {
  it('writes low byte first and reads back', () => {
    const out = new Uint8Array(4);
    writeBcdLE(out, 0, 123456, 4);
    expect([...out]).toEqual([0x56, 0x34, 0x12, 0x00]);
    expect(readBcdLE(out, 0, 4)).toBe(123456);
  });

  it('wraps values beyond the field like a register rolling over', () => {
    const out = new Uint8Array(2);
    writeBcdLE(out, 0, 123456, 2);
    expect(readBcdLE(out, 0, 2)).toBe(3456);
  });

  it('refuses nibbles above 9', () => {
    expect(isBcd(Uint8Array.of(0x12, 0x9a))).toBe(false);
    expect(isBcd(Uint8Array.of(0x12, 0x99))).toBe(true);
    expect(readBcdLE(Uint8Array.of(0x1a), 0, 1)).toBeUndefined();
  });
});

describe('meter addresses', () => {
  it('converts between the printed form (A6..A0) and wire order (A0..A6)', () => {
    const out = new Uint8Array(7);
    writeAddress(out, 0, '11223344556677');
    expect([...out]).toEqual([0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
    expect(readAddress(out, 0)).toBe('11223344556677');
  });

  it('accepts 14 digits or the broadcast address only', () => {
    expect(isMeterAddress('00000000000001')).toBe(true);
    expect(isMeterAddress('AAAAAAAAAAAAAA')).toBe(true);
    expect(isMeterAddress('0000000000001')).toBe(false);
    expect(isMeterAddress('0000000000000A')).toBe(false);
  });
});
