import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtSource } from './jwt.js';
import { JwtSourceConfig } from './schema.js';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';
const dir = mkdtempSync(join(tmpdir(), 'jwt-keys-'));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
function pemFile(name: string, key: KeyObject): string {
  const file = join(dir, name);
  writeFileSync(file, key.export({ type: 'spki', format: 'pem' }));
  return file;
}

function source(config: Record<string, unknown>, clock = new FakeClock()): JwtSource {
  const full = Value.Default(JwtSourceConfig, { type: 'jwt', ...config }) as JwtSourceConfig;
  return new JwtSource(full, { clock, logger: silentLogger() });
}

/** Signs claims with `exp` an hour after the clock's now unless the claims say otherwise. */
async function sign(
  claims: JWTPayload,
  key: KeyObject | Uint8Array,
  alg: string,
  clock: FakeClock,
  kid?: string,
): Promise<string> {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ exp: now + 3600, iat: now, ...claims })
    .setProtectedHeader({ alg, ...(kid !== undefined && { kid }) })
    .sign(key);
}

const login = (token: string, username?: string) => ({
  clientId: 'gw-7',
  ...(username !== undefined && { username }),
  password: Buffer.from(token),
});

describe('JWT source', () => {
  const hmacKey = new TextEncoder().encode(SECRET);

  it('HS256: a token signed with the secret is allowed; another secret, or a non-token password, is not', async () => {
    const clock = new FakeClock();
    const s = source({ secret: SECRET }, clock);
    expect(
      await s.authenticate(login(await sign({ sub: 'gw-7' }, hmacKey, 'HS256', clock), 'gw-7')),
    ).toMatchObject({
      result: 'allow',
      username: 'gw-7',
    });
    const forged = await sign({ sub: 'gw-7' }, new TextEncoder().encode('x'.repeat(32)), 'HS256', clock);
    expect(await s.authenticate(login(forged, 'gw-7'))).toMatchObject({
      result: 'deny',
      reason: 'bad_credentials',
    });
    // A password that is not a compact JWS belongs to some other source.
    expect(await s.authenticate(login('hunter2', 'gw-7'))).toEqual({ result: 'ignore' });
  });

  it('RS256 and ES256 with a PEM public key; the token cannot pick HMAC with the public key as secret (RFC 8725 §2.1)', async () => {
    const clock = new FakeClock();
    const rs = source({ publicKeyFile: pemFile('rsa.pem', rsa.publicKey) }, clock);
    const es = source({ publicKeyFile: pemFile('ec.pem', ec.publicKey) }, clock);
    expect(
      await rs.authenticate(login(await sign({ sub: 'a' }, rsa.privateKey, 'RS256', clock))),
    ).toMatchObject({
      result: 'allow',
      username: 'a',
    });
    expect(
      await es.authenticate(login(await sign({ sub: 'b' }, ec.privateKey, 'ES256', clock))),
    ).toMatchObject({
      result: 'allow',
      username: 'b',
    });
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const confused = await sign({ sub: 'a' }, new TextEncoder().encode(pem), 'HS256', clock);
    expect(await rs.authenticate(login(confused))).toMatchObject({ result: 'deny' });
    // An EC key does not verify an RSA signature.
    expect(await es.authenticate(login(await sign({}, rsa.privateKey, 'RS256', clock)))).toMatchObject({
      result: 'deny',
    });
  });

  it('checks exp and nbf on the injected clock with the configured skew, and iss and aud', async () => {
    const clock = new FakeClock();
    const s = source(
      { secret: SECRET, clockSkewS: 30, issuer: 'https://idp.city', audience: 'watershed' },
      clock,
    );
    const now = Math.floor(clock.now() / 1000);
    const good = { iss: 'https://idp.city', aud: 'watershed' };
    const verdict = async (claims: JWTPayload) =>
      (await s.authenticate(login(await sign({ ...good, ...claims }, hmacKey, 'HS256', clock)))).result;
    expect(await verdict({})).toBe('allow');
    expect(await verdict({ exp: now - 10 })).toBe('allow'); // within the skew
    expect(await verdict({ exp: now - 31 })).toBe('deny');
    expect(await verdict({ nbf: now + 60 })).toBe('deny');
    expect(await verdict({ nbf: now + 20 })).toBe('allow');
    expect(await verdict({ aud: 'someone-else' })).toBe('deny');
    expect(await verdict({ iss: 'https://evil' })).toBe('deny');
    // The same token ages out as the clock moves.
    const token = await sign(good, hmacKey, 'HS256', clock);
    await clock.advance(3600_000 + 31_000);
    expect((await s.authenticate(login(token))).result).toBe('deny');
  });

  it('refuses tokens without exp unless told not to', async () => {
    const clock = new FakeClock();
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(hmacKey);
    expect((await source({ secret: SECRET }, clock).authenticate(login(token))).result).toBe('deny');
    expect(
      (await source({ secret: SECRET, requireExpiry: false }, clock).authenticate(login(token))).result,
    ).toBe('allow');
  });

  it('binds claims to the username and client id, and reads the ACL, superuser flag and expiry from claims', async () => {
    const clock = new FakeClock();
    const s = source(
      {
        secret: SECRET,
        verifyClaims: { sub: '${username}', cid: '${clientid}' },
        superuserClaim: 'admin',
      },
      clock,
    );
    const acl = [{ permission: 'allow', action: 'publish', topic: 'ws/v1/+/${username}/#' }];
    const token = await sign({ sub: 'gw-7', cid: 'gw-7', acl, admin: false }, hmacKey, 'HS256', clock);
    const allowed = await s.authenticate(login(token, 'gw-7'));
    expect(allowed).toEqual({
      result: 'allow',
      username: 'gw-7',
      acl: [{ permission: 'allow', action: 'publish', topic: 'ws/v1/+/%u/#' }],
      expiresAt: (Math.floor(clock.now() / 1000) + 3600) * 1000,
    });
    // Someone else's token under this username.
    expect(await s.authenticate(login(token, 'gw-8'))).toMatchObject({ result: 'deny' });
    const admin = await sign(
      { sub: 'ops', cid: 'gw-7', admin: true, acl: { sub: ['#'] } },
      hmacKey,
      'HS256',
      clock,
    );
    expect(await s.authenticate(login(admin, 'ops'))).toMatchObject({
      result: 'allow',
      superuser: true,
      acl: [{ permission: 'allow', action: 'subscribe', topic: '#' }],
    });
    const badAcl = await sign({ sub: 'gw-7', cid: 'gw-7', acl: 'everything' }, hmacKey, 'HS256', clock);
    expect(await s.authenticate(login(badAcl, 'gw-7'))).toMatchObject({ result: 'deny' });
  });

  it('takes the token from the username field when configured, the subject naming the client', async () => {
    const clock = new FakeClock();
    const s = source({ secret: SECRET, from: 'username' }, clock);
    const token = await sign({ sub: 'meter-9' }, hmacKey, 'HS256', clock);
    expect(await s.authenticate({ clientId: 'c', username: token })).toMatchObject({
      result: 'allow',
      username: 'meter-9',
    });
  });
});

describe('JWT source with a JWKS URL', () => {
  const first = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: Server;
  let url: string;
  let served: { kid: string; key: KeyObject }[] = [];
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      void Promise.all(
        served.map(async ({ kid, key }) => ({ ...(await exportJWK(key)), kid, alg: 'ES256' })),
      ).then((keys) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fetches keys once, follows a key rotation on an unknown kid, and bounds refetches for made-up kids', async () => {
    const clock = new FakeClock();
    served = [{ kid: 'k1', key: first.publicKey }];
    requests = 0;
    const s = source({ jwksUrl: url, jwks: { minRefetchIntervalS: 30, cacheMaxAgeS: 300 } }, clock);
    try {
      const t1 = await sign({ sub: 'a' }, first.privateKey, 'ES256', clock, 'k1');
      expect((await s.authenticate(login(t1))).result).toBe('allow');
      expect((await s.authenticate(login(t1))).result).toBe('allow');
      expect(requests).toBe(1);

      // The issuer rotates to k2; the first token naming k2 makes the broker look again.
      await clock.advance(31_000);
      served = [{ kid: 'k2', key: second.publicKey }];
      const t2 = await sign({ sub: 'a' }, second.privateKey, 'ES256', clock, 'k2');
      expect((await s.authenticate(login(t2))).result).toBe('allow');
      expect(requests).toBe(2);

      // A flood of tokens with made-up kids costs at most one fetch per interval.
      const forged = await sign(
        { sub: 'a' },
        generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        'ES256',
        clock,
        'k9',
      );
      for (let i = 0; i < 20; i++) expect((await s.authenticate(login(forged))).result).toBe('deny');
      expect(requests).toBe(2);
      await clock.advance(31_000);
      expect((await s.authenticate(login(forged))).result).toBe('deny');
      expect(requests).toBe(3);

      // A key that has been rotated out stops working once the cache has been refreshed.
      expect((await s.authenticate(login(t1))).result).toBe('deny');
    } finally {
      await s.close();
    }
  });

  it('refetches keys older than cacheMaxAgeS, and keeps the old keys when the endpoint fails', async () => {
    const clock = new FakeClock();
    served = [{ kid: 'k1', key: first.publicKey }];
    requests = 0;
    const s = source({ jwksUrl: url, jwks: { minRefetchIntervalS: 1, cacheMaxAgeS: 60 } }, clock);
    try {
      const t1 = await sign({ sub: 'a' }, first.privateKey, 'ES256', clock, 'k1');
      expect((await s.authenticate(login(t1))).result).toBe('allow');
      await clock.advance(61_000);
      expect((await s.authenticate(login(t1))).result).toBe('allow');
      expect(requests).toBe(2);
    } finally {
      await s.close();
    }
    // A source whose endpoint is down fails (the chain refuses), rather than guessing.
    const down = source({ jwksUrl: 'http://127.0.0.1:9/jwks.json', jwks: { timeoutMs: 1000 } }, clock);
    const t = await sign({ sub: 'a' }, first.privateKey, 'ES256', clock, 'k1');
    await expect(down.authenticate(login(t))).rejects.toThrow(/JWKS .* unavailable/);
    await down.close();
  });
});
