import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { apiRoutes, buildConsoleApi, type ConsoleApiOptions } from './app.js';
import { ROLES, roleAtLeast, type Role } from './auth/access.js';
import type { ApiRoute } from './auth/authenticate.js';
import { bearerFor } from './auth/testing.js';

/**
 * The authorisation matrix, derived from the built app rather than written down: every mutating
 * route under /api/v1 must carry a RoleGuard (`access.require(role)`), and for every role × route
 * the real answer must be 403 WS_ERR_FORBIDDEN exactly when the role is below the guard's.
 * Routes added later are covered without touching this file.
 */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * A resource backed by a service (rules, broker, fleet, alarms …) is only mounted when its
 * service is given. So that the matrix covers resources added later without naming them here,
 * every option this file does not know is answered with a stand-in service: any property is the
 * stand-in again, any call returns it. Handlers that get past the guard then fail somewhere
 * (a 4xx or 500), which is all the matrix needs: they were not refused.
 */
const NOT_SERVICES = new Set([
  'logger',
  'health',
  'webRoot',
  'version',
  'clock',
  'liveMinIntervalMs',
  'liveHeartbeatMs',
]);
const standIn: unknown = new Proxy(function standIn() {}, {
  get: (_target, key) => (key === 'then' || typeof key === 'symbol' ? undefined : standIn),
  apply: () => standIn,
});
function withEveryService(base: ConsoleApiOptions): ConsoleApiOptions {
  return new Proxy(base, {
    get: (target, key) =>
      typeof key === 'symbol' || key in target || NOT_SERVICES.has(key)
        ? (target as unknown as Record<string | symbol, unknown>)[key]
        : standIn,
  });
}

/** Reachable without a principal: nothing else may be. */
// Login, and single sign-on's start and return: the provider's redirect arrives with no session.
const PUBLIC = [
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/oidc',
  'GET /api/v1/auth/oidc/login',
  'GET /api/v1/auth/oidc/callback',
  // Vendor platforms post meter readings with their own bearer token (checked by the route).
  'POST /api/v1/meters/uplink/:vendor',
];

describe('authorisation matrix: every role × every mutating route', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let routes: readonly ApiRoute[];
  const bearer = new Map<Role, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-matrix-'));
    store = await openEmbeddedStore({ dir });
    app = await buildConsoleApi(
      withEveryService({
        store,
        live: { subscribe: () => () => undefined },
        metrics: createMetricsRegistry(),
        auth: { passwordCost: { N: 1024, r: 8, p: 1 } },
      }),
    );
    await app.ready();
    routes = apiRoutes(app);
    for (const role of ROLES) bearer.set(role, await bearerFor(store, role, 'acme/north'));
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const mutating = () => routes.filter((r) => MUTATING.has(r.method) && !r.public);

  it('finds the routes, and only login and single sign-on are public', () => {
    expect(mutating().length).toBeGreaterThanOrEqual(7);
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toEqual(PUBLIC);
  });

  it('every mutating route declares its minimum role with access.require(role)', () => {
    const unguarded = mutating()
      .filter((r) => r.minRole === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(unguarded, 'mutating routes without a RoleGuard').toEqual([]);
  });

  it('answers 403 below the declared role and lets every role at or above it through', async () => {
    const failures: string[] = [];
    for (const route of mutating()) {
      // Path parameters get a value no record has: an allowed request then fails later (404,
      // 400), never with a side effect on real data.
      const url = route.url.replace(/:(\w+)/g, 'matrix-$1').replace(/\*$/, 'matrix-wildcard');
      for (const role of ROLES) {
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { authorization: bearer.get(role)! },
          ...(route.method !== 'DELETE' && { payload: {} }),
        });
        const code = (res.json<{ code?: string } | undefined>() ?? {}).code;
        const forbidden = res.statusCode === 403 && code === 'WS_ERR_FORBIDDEN';
        const allowed = roleAtLeast(role, route.minRole ?? 'admin');
        const line = `${role.padEnd(8)} ${route.method} ${route.url} (needs ${route.minRole}) → ${res.statusCode} ${code}`;
        if (allowed && (forbidden || res.statusCode === 401)) failures.push(`refused: ${line}`);
        if (!allowed && !forbidden) failures.push(`not refused: ${line}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every authenticated route to a request without credentials', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const url = route.url.replace(/:(\w+)/g, 'matrix-$1').replace(/\*$/, 'matrix-wildcard');
      const res = await app.inject({ method: route.method as 'GET', url });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
