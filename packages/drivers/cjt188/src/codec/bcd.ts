/**
 * Packed BCD as CJ/T 188 uses it: two decimal digits per byte, high digit in the high nibble,
 * multi-byte numbers low byte first (CJ/T 188-2004 §6: "数据低字节在前").
 */

/** Whether every nibble of `bytes` is a decimal digit. */
export function isBcd(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b & 0x0f) > 9 || b >> 4 > 9) return false;
  return true;
}

/** One byte 0..99 → BCD. */
export function toBcdByte(n: number): number {
  return (Math.floor(n / 10) << 4) | (n % 10);
}

/** One BCD byte → 0..99, or -1 when a nibble is not a digit. */
export function fromBcdByte(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

/**
 * Writes the non-negative integer `value` as `length` BCD bytes, low byte first, into `out` at
 * `offset`. Values beyond the field's digits wrap (a meter register rolls over the same way).
 */
export function writeBcdLE(out: Uint8Array, offset: number, value: number, length: number): void {
  let v = Math.max(0, Math.floor(value)) % 10 ** (length * 2);
  for (let i = 0; i < length; i++) {
    out[offset + i] = toBcdByte(v % 100);
    v = Math.floor(v / 100);
  }
}

/** Reads `length` BCD bytes low byte first; undefined when a nibble is not a digit. */
export function readBcdLE(bytes: Uint8Array, offset: number, length: number): number | undefined {
  let v = 0;
  for (let i = length - 1; i >= 0; i--) {
    const d = fromBcdByte(bytes[offset + i] ?? 0xff);
    if (d < 0) return undefined;
    v = v * 100 + d;
  }
  return v;
}
