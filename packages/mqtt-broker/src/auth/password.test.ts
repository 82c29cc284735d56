import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordPbkdf2, parsePasswordHash, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('are scrypt$N$r$p$salt$hash with a fresh salt each time', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
  });

  it('verify the right password and refuse a wrong one', async () => {
    const parsed = parsePasswordHash(await hashPassword('s3cret', { N: 1024, r: 8, p: 1 }));
    if (typeof parsed === 'string' || parsed.kind !== 'scrypt') throw new Error('not a scrypt hash');
    expect(parsed.N).toBe(1024);
    expect(await verifyPassword(Buffer.from('s3cret'), parsed)).toBe(true);
    expect(await verifyPassword(Buffer.from('s3cret!'), parsed)).toBe(false);
    expect(await verifyPassword(Buffer.alloc(0), parsed)).toBe(false);
  });

  it('verify PBKDF2-HMAC-SHA256 hashes, including ones made elsewhere (RFC 8018 §5.2)', async () => {
    const ours = parsePasswordHash(await hashPasswordPbkdf2('s3cret', 2000));
    if (typeof ours === 'string') throw new Error(ours);
    expect(ours).toMatchObject({ kind: 'pbkdf2-sha256', iterations: 2000 });
    expect(await verifyPassword(Buffer.from('s3cret'), ours)).toBe(true);
    expect(await verifyPassword(Buffer.from('s3cre'), ours)).toBe(false);
    // A hash imported from another system: the same KDF computed independently.
    const salt = Buffer.from('imported-salt-16');
    const key = pbkdf2Sync('meter-42', salt, 4096, 32, 'sha256');
    const imported = parsePasswordHash(
      `pbkdf2-sha256$4096$${salt.toString('base64')}$${key.toString('base64')}`,
    );
    if (typeof imported === 'string') throw new Error(imported);
    expect(await verifyPassword(Buffer.from('meter-42'), imported)).toBe(true);
  });

  it('refuse malformed stored hashes and plain text with a reason', () => {
    expect(parsePasswordHash('plain')).toBe(
      'expected scrypt$N$r$p$salt$hash or pbkdf2-sha256$iterations$salt$hash',
    );
    expect(parsePasswordHash('scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==')).toBe(
      'N must be a power of two',
    );
    expect(parsePasswordHash('pbkdf2-sha256$10$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==')).toBe(
      'iterations must be an integer of at least 1000',
    );
  });
});
