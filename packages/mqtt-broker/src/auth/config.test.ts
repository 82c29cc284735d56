import { Errors } from '@watershed/common';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../config/load.js';
import { hashPasswordPbkdf2 } from './password.js';
import { scramCredentials } from './scram-credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'broker-auth-config-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function issues(value: unknown): { path: string; expected: string }[] {
  try {
    loadBrokerConfig({ value });
  } catch (err) {
    expect(Errors.CONFIG_INVALID.is(err)).toBe(true);
    return (err as { details: { issues: { path: string; expected: string }[] } }).details.issues;
  }
  throw new Error('expected the config to be refused');
}

const listener = { type: 'tcp', host: '127.0.0.1', port: 0 };

describe('authentication config', () => {
  it('reads a chain of sources from a YAML file, with defaults filled in', async () => {
    const pem = file(
      'jwt.pem',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const path = file(
      'broker.yaml',
      `
listeners:
  - name: plants
    type: tcp
    port: 1883
    auth:
      sources:
        - { type: jwt, publicKeyFile: ${pem}, issuer: https://idp.city, verifyClaims: { sub: '\${username}' } }
        - password
        - { type: http, url: 'http://auth.local/mqtt', onError: deny }
      enhanced: [SCRAM-SHA-256]
users:
  - { username: gw-7, passwordHash: '${await hashPasswordPbkdf2('pw', 1000)}', scram: '${await scramCredentials('pw')}' }
`,
    );
    const c = loadBrokerConfig({ file: path });
    expect(c.listeners[0]!.auth).toEqual({
      allowAnonymous: false,
      enhanced: ['SCRAM-SHA-256'],
      sources: [
        expect.objectContaining({
          type: 'jwt',
          publicKeyFile: pem,
          from: 'password',
          clockSkewS: 30,
          requireExpiry: true,
          disconnectOnExpiry: true,
          aclClaim: 'acl',
          verifyClaims: { sub: '${username}' },
          jwks: { cacheMaxAgeS: 300, minRefetchIntervalS: 30, timeoutMs: 5000 },
        }),
        'password',
        expect.objectContaining({ type: 'http', onError: 'deny', timeoutMs: 5000, maxConcurrent: 32 }),
      ],
    });
  });

  it('names the path of every bad source setting, judging each by the shape its type names', () => {
    const found = issues({
      listeners: [
        {
          ...listener,
          auth: {
            sources: [
              { type: 'jwt', secret: 'short', jwksUrl: 'http://idp/jwks' },
              { type: 'jwt', publicKeyFile: file('not-a-key.pem', 'hello') },
              'certificate',
              { type: 'http', url: 'ftp://x' },
              { type: 'ldap' },
              'kerberos',
              { type: 'jwt', secret: 'x'.repeat(32), clockSkew: 5 },
            ],
          },
        },
      ],
    });
    const at = 'listeners.0.auth.sources';
    expect(found.map((i) => [i.path, i.expected])).toEqual([
      [`${at}.0`, 'exactly one of secret, publicKeyFile, jwksUrl'],
      [`${at}.0.secret`, 'an HMAC secret of at least 32 bytes (RFC 7518 §3.2)'],
      [`${at}.1.publicKeyFile`, 'a PEM public key or certificate'],
      [`${at}.2`, '"certificate" only with requestClientCert: true'],
      [`${at}.3.url`, 'must match pattern "^https?://"'],
      [
        `${at}.4.type`,
        '"password", "certificate", or an object with type password | certificate | jwt | http',
      ],
      [`${at}.5`, '"password", "certificate", or an object with type password | certificate | jwt | http'],
      [`${at}.6.clockSkew`, expect.stringMatching(/^no such key \(allowed: type, from, secret, /)],
    ]);
  });

  it('refuses users with no secret, plain-text passwords and malformed SCRAM keys', () => {
    expect(
      issues({
        users: [
          { username: 'a' },
          { username: 'b', passwordHash: 'hunter2' },
          { username: 'c', scram: 'SCRAM-SHA-256$1:AAAA$BBBB:CCCC' },
        ],
      }).map((i) => i.path),
    ).toEqual(['users.0', 'users.1.passwordHash', 'users.2.scram']);
  });
});
