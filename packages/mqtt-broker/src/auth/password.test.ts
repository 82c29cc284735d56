import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, verifyPassword, type ParsedHash } from './password.js';

describe('password hashes', () => {
  it('are scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
  });

  it('verify the right password and refuse a wrong one', async () => {
    const parsed = parsePasswordHash(await hashPassword('s3cret', { N: 1024, r: 8, p: 1 })) as ParsedHash;
    expect(parsed.N).toBe(1024);
    expect(await verifyPassword(Buffer.from('s3cret'), parsed)).toBe(true);
    expect(await verifyPassword(Buffer.from('s3cret!'), parsed)).toBe(false);
    expect(await verifyPassword(Buffer.alloc(0), parsed)).toBe(false);
  });

  it('refuse malformed stored hashes with a reason', () => {
    expect(parsePasswordHash('plain')).toBe('expected scrypt$N$r$p$salt$hash');
    expect(parsePasswordHash('scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==')).toBe(
      'N must be a power of two',
    );
  });
});
