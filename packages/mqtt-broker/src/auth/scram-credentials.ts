import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';

/**
 * SCRAM-SHA-256 stored credentials (RFC 5802 §3, RFC 7677), kept in `users[].scram` in
 * PostgreSQL's notation:
 *
 *     SCRAM-SHA-256$<iterations>:<salt, base64>$<StoredKey, base64>:<ServerKey, base64>
 *
 * The broker keeps only StoredKey = H(ClientKey) and ServerKey, never the password or the
 * SaltedPassword: a stolen config lets nobody log in as the user (RFC 5802 §9), as with
 * EMQX's SCRAM authenticator, which derives the same keys when a user is created.
 */
export interface ScramCredentials {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

const PREFIX = 'SCRAM-SHA-256';
/** RFC 7677 §4: at least 4096 iterations. */
export const SCRAM_MIN_ITERATIONS = 4096;

/** Derives stored credentials from a password (what `watershed broker passwd --scram` would print). */
export async function scramCredentials(password: string, iterations = SCRAM_MIN_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const salted = await saltedPassword(password, salt, iterations);
  const { storedKey, serverKey } = keysOf(salted);
  return `${PREFIX}$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

export function parseScramCredentials(text: string): ScramCredentials | string {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (!m) return 'expected SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey';
  const iterations = Number(m[1]);
  if (iterations < SCRAM_MIN_ITERATIONS)
    return `iterations must be at least ${SCRAM_MIN_ITERATIONS} (RFC 7677)`;
  const salt = Buffer.from(m[2]!, 'base64');
  const storedKey = Buffer.from(m[3]!, 'base64');
  const serverKey = Buffer.from(m[4]!, 'base64');
  if (salt.length < 8) return 'salt too short';
  if (storedKey.length !== 32 || serverKey.length !== 32) return 'StoredKey and ServerKey must be 32 bytes';
  return { iterations, salt, storedKey, serverKey };
}

/** SaltedPassword := Hi(Normalize(password), salt, i), Hi being PBKDF2 with HMAC-SHA-256. */
export function saltedPassword(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  // SASLprep (RFC 4013) is not applied: passwords are compared as their UTF-8 bytes, which is
  // what it leaves unchanged for ASCII and what most clients send.
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function keysOf(salted: Buffer): { clientKey: Buffer; storedKey: Buffer; serverKey: Buffer } {
  const clientKey = hmac(salted, 'Client Key');
  return { clientKey, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

export function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
