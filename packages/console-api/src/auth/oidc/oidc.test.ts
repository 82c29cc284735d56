import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { buildConsoleApi } from '../../app.js';
import { hashPassword } from '../password.js';
import type { OidcSettings } from './settings.js';

/**
 * Single sign-on against a real OpenID Connect provider: panva's oidc-provider (a certified
 * implementation) on loopback, its development login and consent pages driven over HTTP the way
 * a browser would — cookies, redirects, form posts.
 */
const ACCOUNTS: Record<string, { roles: string[]; email: string }> = {
  alice: { roles: ['staff', 'water-operators'], email: 'alice@water.example' },
  bob: { roles: ['visitors'], email: 'bob@water.example' },
  admin: { roles: ['water-admins'], email: 'it@water.example' },
};

let idp: Server;
let issuer: string;
let dir: string;
let store: Store;
let app: FastifyInstance;
let console: string;

beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ws-oidc-'));
  store = await openEmbeddedStore({ dir });
  // The console listens before the provider is made, so the client can name its callback.
  const settings: OidcSettings = {
    issuer,
    clientId: 'watershed-console',
    clientSecret: 'a client secret of some length',
    redirectUri: 'http://127.0.0.1:0/api/v1/auth/oidc/callback',
    scopes: ['openid', 'profile', 'email'],
    usernameClaim: 'preferred_username',
    roleClaim: 'roles',
    roles: { 'water-operators': 'operator', staff: 'viewer', 'water-admins': 'admin' },
    project: 'acme/north',
    label: 'Acme Water ID',
  };
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  settings.redirectUri = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
  app = await buildConsoleApi({
    store,
    live: { subscribe: () => () => undefined },
    metrics: createMetricsRegistry(),
    auth: { passwordCost: { N: 1024, r: 8, p: 1 }, oidc: settings },
  });
  await app.listen({ host: '127.0.0.1', port });
  console = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: settings.clientId,
        client_secret: settings.clientSecret!,
        redirect_uris: [settings.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['preferred_username', 'roles'], email: ['email'] },
    findAccount: (_ctx, id) =>
      ACCOUNTS[id] === undefined
        ? undefined
        : {
            accountId: id,
            claims: () => ({ sub: id, preferred_username: id, ...ACCOUNTS[id] }),
          },
    cookies: { keys: ['a cookie signing key for the test provider'] },
  });
  const handle = provider.callback();
  idp.on('request', (req, res) => void handle(req, res));
}, 30_000);

afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => idp?.close(() => resolve()));
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Cookies by name, as a browser keeps them for one site (paths ignored: one test, one user). */
class Jar {
  readonly #c = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.#c.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  get header(): string {
    return [...this.#c].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(name: string): string | undefined {
    return this.#c.get(name);
  }
}

/**
 * Signs `account` in: starts at the console, logs in and consents at the provider, and returns
 * where the console's callback finally sends the browser, with the console's cookies.
 */
async function signIn(account: string, returnTo = '/'): Promise<{ location: string; jar: Jar }> {
  const consoleJar = new Jar();
  const idpJar = new Jar();
  const start = await fetch(`${console}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`, {
    redirect: 'manual',
  });
  expect(start.status).toBe(302);
  consoleJar.take(start);
  let url = start.headers.get('location')!;
  expect(url.startsWith(`${issuer}/`)).toBe(true);
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(console)) break;
    let res = await fetch(url, { redirect: 'manual', headers: { cookie: idpJar.header } });
    idpJar.take(res);
    if (res.status === 200 && new URL(url).pathname.startsWith('/interaction/')) {
      const html = await res.text();
      const body = html.includes('name="login"')
        ? new URLSearchParams({ prompt: 'login', login: account, password: 'any' })
        : new URLSearchParams({ prompt: 'consent' });
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: idpJar.header, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      idpJar.take(res);
    }
    const next = res.headers.get('location');
    if (next === null) throw new Error(`the provider stopped at ${url} with HTTP ${res.status}`);
    url = new URL(next, url).toString();
  }
  const back = await fetch(url, { redirect: 'manual', headers: { cookie: consoleJar.header } });
  expect(back.status).toBe(302);
  consoleJar.take(back);
  return { location: back.headers.get('location')!, jar: consoleJar };
}

const me = async (jar: Jar) =>
  (await fetch(`${console}/api/v1/auth/me`, { headers: { cookie: jar.header } })).json() as Promise<{
    user: { name: string; role: string; project: string };
    mustChangePassword: boolean;
  }>;

describe('single sign-on (OpenID Connect)', () => {
  it('tells the login page it is offered', async () => {
    const res = await fetch(`${console}/api/v1/auth/oidc`);
    expect(await res.json()).toEqual({ enabled: true, label: 'Acme Water ID' });
  });

  it('signs a provider user in with the highest mapped role, creating the console user', async () => {
    const { location, jar } = await signIn('alice', '/#page=alarms');
    expect(location).toBe('/#page=alarms');
    expect(jar.get('ws_session')).toMatch(/^wss_/);
    expect(await me(jar)).toEqual({
      kind: 'user',
      user: expect.objectContaining({ name: 'alice', role: 'operator', project: 'acme/north' }),
      mustChangePassword: false,
    });
    // No password of any kind opens the account the provider owns.
    const login = await fetch(`${console}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alice', password: 'oidc' }),
    });
    expect(login.status).toBe(401);
    const audit = await store.metadata.audit.query({ action: 'session.login' });
    expect(audit.entries[0]).toMatchObject({ actor: 'alice', after: { method: 'oidc', issuer } });
  });

  it('refuses a user none of whose roles is mapped, saying why on the login page', async () => {
    const { location, jar } = await signIn('bob');
    expect(location.startsWith('/?loginError=')).toBe(true);
    expect(decodeURIComponent(location)).toMatch(
      /none of bob's roles \(visitors\) is mapped to a console role/,
    );
    expect(jar.get('ws_session')).toBeUndefined();
    expect(await store.metadata.users.byName('bob')).toBeUndefined();
  });

  it('never takes over a local account of the same name', async () => {
    await store.metadata.users.create({
      project: '*',
      name: 'admin',
      role: 'admin',
      passwordHash: await hashPassword('local admin password', { N: 1024, r: 8, p: 1 }),
    });
    const { location, jar } = await signIn('admin');
    expect(decodeURIComponent(location)).toMatch(/a local user named admin exists/);
    expect(jar.get('ws_session')).toBeUndefined();
  });

  it('accepts a callback once, only in the browser that started it, and only to a local path', async () => {
    const start = await fetch(`${console}/api/v1/auth/oidc/login?returnTo=https://evil.example/`, {
      redirect: 'manual',
    });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    // Another browser (no binding cookie) brings the same state back: refused, and the state is spent.
    const foreign = await fetch(`${console}/api/v1/auth/oidc/callback?state=${state}&code=x`, {
      redirect: 'manual',
    });
    expect(decodeURIComponent(foreign.headers.get('location')!)).toMatch(/started in another browser/);
    const again = await fetch(`${console}/api/v1/auth/oidc/callback?state=${state}&code=x`, {
      redirect: 'manual',
    });
    expect(decodeURIComponent(again.headers.get('location')!)).toMatch(/unknown or expired/);
    // An absolute returnTo would make the login an open redirect: it becomes "/".
    const { location } = await signIn('alice', 'https://evil.example/');
    expect(location).toBe('/');
  });
});
