import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { buildConsoleApi } from '../app.js';
import { hashPassword } from './password.js';
import { LoginThrottle } from './throttle.js';

const FAST = { N: 1024, r: 8, p: 1 };

function sessionCookie(res: LightMyRequestResponse): string {
  const set = String(res.headers['set-cookie']);
  const m = /^ws_session=([^;]*)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return `ws_session=${m[1]}`;
}

describe('/api/v1/auth: login, sessions, forced password change', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let clock: FakeClock;

  async function addUser(name: string, password: string, extra: { mustChangePassword?: boolean } = {}) {
    return store.metadata.users.create({
      project: 'acme/north',
      name,
      role: 'operator',
      passwordHash: await hashPassword(password, FAST),
      ...extra,
    });
  }

  const login = (name: string, password: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { name, password }, remoteAddress });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-auth-'));
    store = await openEmbeddedStore({ dir });
    clock = new FakeClock(1_800_000_000_000);
    app = await buildConsoleApi({
      store,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
      clock,
      auth: { passwordCost: FAST, throttle: new LoginThrottle({ clock }) },
    });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates every /api/v1 route, leaving health, metrics and docs open', async () => {
    const res = await app.inject('/api/v1/points');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'WS_ERR_UNAUTHENTICATED' });
    expect(
      (await app.inject({ url: '/api/v1/points', headers: { authorization: 'Bearer wsk_x_y' } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/points', headers: { cookie: 'ws_session=%E0%A4%A' } })).statusCode,
    ).toBe(401);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/metrics')).statusCode).toBe(200);
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
  });

  it('logs in with an HttpOnly SameSite=Strict cookie, answers me, and logs out', async () => {
    const alice = await addUser('alice', 'correct horse battery');
    const res = await login('alice', 'correct horse battery');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: alice.id, name: 'alice', role: 'operator', project: 'acme/north' },
      mustChangePassword: false,
    });
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\//);
    expect(set).not.toMatch(/Secure/); // plain HTTP here
    const cookie = sessionCookie(res);

    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ kind: 'user', user: { name: 'alice' }, mustChangePassword: false });
    expect((await app.inject({ url: '/api/v1/points', headers: { cookie } })).statusCode).toBe(200);

    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.json()).toEqual({ loggedOut: true });
    expect(String(out.headers['set-cookie'])).toMatch(/^ws_session=; .*Max-Age=0/);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);

    const actions = (await store.metadata.audit.query()).entries.map((e) => [e.actor, e.action, e.project]);
    expect(actions).toEqual([
      ['alice', 'session.logout', 'acme/north'],
      ['alice', 'session.login', 'acme/north'],
    ]);
  });

  it('answers a wrong password like an unknown user, audits failures and locks after 5', async () => {
    await addUser('alice', 'correct horse battery');
    const wrong = await login('alice', 'not the password');
    const unknown = await login('mallory', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json()).toMatchObject({ code: 'WS_ERR_AUTH_BAD_CREDENTIALS' });

    for (let i = 0; i < 3; i++) expect((await login('alice', 'nope nope nope')).statusCode).toBe(401);
    const fifth = await login('alice', 'nope nope nope');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({ code: 'WS_ERR_AUTH_LOCKED' });
    // Locked even for the right password, but only for this address.
    expect((await login('alice', 'correct horse battery')).statusCode).toBe(429);
    expect((await login('alice', 'correct horse battery', '10.1.1.1')).statusCode).toBe(200);
    await clock.advance(15 * 60_000);
    expect((await login('alice', 'correct horse battery')).statusCode).toBe(200);

    const page = await store.metadata.audit.query({ action: 'session.login-failed' });
    expect(page.entries).toHaveLength(5);
    expect(page.entries.at(-1)).toMatchObject({
      actor: 'alice',
      resource: 'session:alice',
      from: '127.0.0.1',
    });
    expect((await store.metadata.audit.query({ action: 'session.login-locked' })).entries).toHaveLength(1);
  });

  it('refuses disabled users, and their sessions stop working', async () => {
    const bob = await addUser('bob', 'correct horse battery');
    const cookie = sessionCookie(await login('bob', 'correct horse battery'));
    await store.metadata.users.update(bob.id, { disabled: true });
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await login('bob', 'correct horse battery')).statusCode).toBe(401);
  });

  it('holds a user with a one-time password to me/password/logout until it is changed', async () => {
    await addUser('carol', 'one-time-password-1', { mustChangePassword: true });
    const first = await login('carol', 'one-time-password-1');
    expect(first.json()).toMatchObject({ mustChangePassword: true });
    const cookie = sessionCookie(first);
    const other = sessionCookie(await login('carol', 'one-time-password-1', '10.0.0.9'));

    const blocked = await app.inject({ url: '/api/v1/points', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'WS_ERR_AUTH_PASSWORD_CHANGE_REQUIRED' });
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ mustChangePassword: true });

    const change = (current: string, next: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie },
        payload: { current, new: next },
      });
    expect((await change('one-time-password-1', 'short')).json()).toMatchObject({
      code: 'WS_ERR_AUTH_WEAK_PASSWORD',
      message: expect.stringMatching(/at least 10 characters/) as unknown,
    });
    expect((await change('one-time-password-1', 'Carol12')).statusCode).toBe(400);
    expect((await change('one-time-password-1', 'carol-1')).json()).toMatchObject({
      code: 'WS_ERR_AUTH_WEAK_PASSWORD',
    });
    expect((await change('one-time-password-1', 'one-time-password-1')).statusCode).toBe(400);
    expect((await change('wrong current pw', 'a much better passphrase')).json()).toMatchObject({
      code: 'WS_ERR_AUTH_WRONG_PASSWORD',
    });
    const ok = await change('one-time-password-1', 'a much better passphrase');
    expect(ok.json()).toMatchObject({ mustChangePassword: false, user: { name: 'carol' } });

    expect((await app.inject({ url: '/api/v1/points', headers: { cookie } })).statusCode).toBe(200);
    // The other session ended; the old password no longer works, the new one does.
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: other } })).statusCode).toBe(401);
    expect((await login('carol', 'one-time-password-1')).statusCode).toBe(401);
    expect((await login('carol', 'a much better passphrase')).statusCode).toBe(200);

    const [entry] = (await store.metadata.audit.query({ action: 'user.password-change' })).entries;
    expect(entry).toMatchObject({
      actor: 'carol',
      before: { mustChangePassword: true },
      after: { mustChangePassword: false },
    });
    expect(JSON.stringify(entry)).not.toMatch(/scrypt/);
  });
});
