import { describe, expect, it } from 'vitest';
import { decodeBinaryCopy, int8Literal, type BinaryValue } from './binary-copy.js';

/** A binary COPY stream as PostgreSQL writes it (docs, COPY, "Binary Format"). */
function stream(rows: readonly (Buffer | null)[][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const fields of rows) {
    const head = Buffer.alloc(2);
    head.writeInt16BE(fields.length);
    parts.push(head);
    for (const f of fields) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f === null ? -1 : f.length);
      parts.push(len);
      if (f) parts.push(f);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

const int8 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
const float8 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b;
};
const int2 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};

describe('decodeBinaryCopy', () => {
  it('decodes int8 exactly (negative and large ms epochs), float8 incl. NaN, text as UTF-8, and NULLs', () => {
    const rows: BinaryValue[][] = [];
    decodeBinaryCopy(
      stream([
        [int8(1_795_000_000_123n), float8(1.5), null, int2(5), Buffer.from('Ventil offen ✓')],
        [int8(-1n), float8(Number.NaN), Buffer.from('a\tb'), int2(-2), null],
        [int8(BigInt(Number.MAX_SAFE_INTEGER)), null, null, int2(0), null],
      ]),
      ['int8', 'float8', 'text', 'int2', 'text'],
      (v) => rows.push(v),
    );
    expect(rows).toEqual([
      [1_795_000_000_123, 1.5, null, 5, 'Ventil offen ✓'],
      [-1, Number.NaN, 'a\tb', -2, null],
      [Number.MAX_SAFE_INTEGER, null, null, 0, null],
    ]);
  });

  it('refuses a stream without the signature, and a field whose length does not fit its type', () => {
    expect(() => decodeBinaryCopy(Buffer.from('1\t2\n'.repeat(10)), ['int4'], () => undefined)).toThrow(
      /not a binary COPY/,
    );
    expect(() => decodeBinaryCopy(stream([[int2(1)]]), ['int8'], () => undefined)).toThrow(
      /int8 field of 2 bytes/,
    );
    expect(() => decodeBinaryCopy(stream([[int2(1), int2(2)]]), ['int2'], () => undefined)).toThrow(
      /2 fields, expected 1/,
    );
  });
});

describe('int8Literal', () => {
  it('rounds a lower bound up and an upper bound down, and clamps infinities to the int8 range', () => {
    expect(int8Literal(10.5, 'ceil')).toBe('11');
    expect(int8Literal(10.5, 'floor')).toBe('10');
    expect(int8Literal(-0.5, 'ceil')).toBe('0');
    expect(int8Literal(Number.POSITIVE_INFINITY, 'floor')).toBe('9223372036854775807');
    expect(int8Literal(Number.NEGATIVE_INFINITY, 'ceil')).toBe('-9223372036854775808');
    expect(() => int8Literal(Number.NaN, 'ceil')).toThrow(RangeError);
  });
});
