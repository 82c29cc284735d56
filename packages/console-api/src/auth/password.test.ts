import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, randomPassword, verifyPassword } from './password.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('stores a self-describing hash with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the parameters in the hash, so the cost can change later', async () => {
    const old = await hashPassword('a long passphrase', { N: 2048, r: 4, p: 2 });
    expect(old.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('a long passphrase', old)).toBe(true);
  });

  it('the default cost is OWASP scrypt (N=2^15, r=8, p=1)', async () => {
    const h = await hashPassword('a long passphrase');
    expect(h.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('a long passphrase', h)).toBe(true);
  });

  it('never matches malformed or foreign hashes', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$a$8$1$c2FsdA$aGFzaA', 'scrypt$1024$8$1$$aGFzaA']) {
      expect(await verifyPassword('whatever1234', stored)).toBe(false);
    }
  });
});

describe('password policy', () => {
  it('wants at least 10 characters and not the user name', () => {
    expect(() => checkPasswordPolicy('short', 'alice')).toThrow(/at least 10 characters/);
    expect(() => checkPasswordPolicy('alicealice', 'alice')).not.toThrow();
    expect(() => checkPasswordPolicy('Administrator', 'administrator')).toThrow(/user name/);
    expect(() => checkPasswordPolicy('admin12345', 'admin')).not.toThrow();
    expect(() => checkPasswordPolicy('operator1!', 'operator')).toThrow(/user name/);
    expect(() => checkPasswordPolicy('a sensible passphrase', 'alice')).not.toThrow();
  });

  it('generated passwords pass it', () => {
    const pw = randomPassword();
    expect(pw).toHaveLength(18);
    expect(() => checkPasswordPolicy(pw, 'admin')).not.toThrow();
  });
});
