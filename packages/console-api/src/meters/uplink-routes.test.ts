import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineError } from '@watershed/common';
import { openEmbeddedStore, type Store } from '@watershed/store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLES } from '../auth/access.js';
import { bearerFor, buildTestApi } from '../auth/testing.js';
import { metersRoutes } from './routes.js';
import type { MeterUplinkResult, MeterUplinkService } from './service.js';

const TOKEN = 'c-platform-token-0123456789';
const STORE_DOWN = defineError('WS_ERR_METER_STORE_FAILED', 503, 'readings not stored: %s');

/**
 * The uplink service as apps/server implements it, reduced to what the route relies on: the
 * vendor's token check, its batch limit and a per-item verdict (an item with `bad` is refused).
 */
let batches: unknown[][];
let storeDown: boolean;
const uplink: MeterUplinkService = {
  vendor: (id) =>
    id !== 'c'
      ? undefined
      : {
          maxBatch: 3,
          authenticate: (t) => t === TOKEN,
          ingest(items) {
            if (storeDown) return Promise.reject(STORE_DOWN.create(['disk full']));
            batches.push([...items]);
            const errors = items.flatMap((item, index) =>
              (item as { bad?: boolean }).bad
                ? [{ index, code: 'WS_ERR_METER_BAD_TIME', message: 'bad time' }]
                : [],
            );
            const result: MeterUplinkResult = {
              accepted: items.length - errors.length,
              rejected: errors.length,
              errors,
            };
            return Promise.resolve(result);
          },
        },
};

let dir: string;
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-meters-uplink-'));
  store = await openEmbeddedStore({ dir });
  app = await buildTestApi(store, async (api, { access }) => {
    await api.register(metersRoutes, { access, uplink, bodyLimit: 2048 });
  });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  batches = [];
  storeDown = false;
});

const post = (payload: unknown, opts: { url?: string; authorization?: string } = {}) =>
  app.inject({
    method: 'POST',
    url: opts.url ?? '/api/v1/meters/uplink/c',
    headers: {
      'content-type': 'application/json',
      ...(opts.authorization !== undefined && { authorization: opts.authorization }),
    },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const reading = { meterNo: '202600000001', readTime: '20260301081500', cumulant: 1234567, status: 0 };

describe('POST /api/v1/meters/uplink/:vendor', () => {
  it('takes one reading with the vendor token as a bearer header: 202 with counts', async () => {
    const res = await post(reading, { authorization: `Bearer ${TOKEN}` });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, rejected: 0, errors: [] });
    expect(batches).toEqual([[reading]]);
  });

  it('takes the token as access_token, for platforms that can only set a URL', async () => {
    const res = await post(reading, { url: `/api/v1/meters/uplink/c?access_token=${TOKEN}` });
    expect(res.statusCode).toBe(202);
  });

  it('answers a batch item by item', async () => {
    const res = await post([reading, { ...reading, bad: true }, reading], {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: 1,
      errors: [{ index: 1, code: 'WS_ERR_METER_BAD_TIME', message: 'bad time' }],
    });
  });

  it.each([
    ['no token', undefined, '/api/v1/meters/uplink/c'],
    ['a wrong token', 'Bearer not-the-token-at-all', '/api/v1/meters/uplink/c'],
    ['a malformed header', `Basic ${TOKEN}`, '/api/v1/meters/uplink/c'],
    ['an unknown vendor', `Bearer ${TOKEN}`, '/api/v1/meters/uplink/zz'],
  ])('refuses %s with 401 and a Bearer challenge, storing nothing', async (_what, authorization, url) => {
    const res = await post(reading, { url, ...(authorization !== undefined && { authorization }) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'WS_ERR_METER_UPLINK_UNAUTHORIZED' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="meters"/);
    expect(batches).toEqual([]);
  });

  it.each(ROLES)('refuses a console API key of role %s: it is not a vendor token', async (role) => {
    const res = await post(reading, { authorization: await bearerFor(store, role, '*') });
    expect(res.statusCode).toBe(401);
    expect(batches).toEqual([]);
  });

  it('refuses an empty batch, a batch over the vendor limit and a body over the size limit', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post([], auth)).json()).toMatchObject({ code: 'WS_ERR_METER_BATCH_EMPTY' });
    const big = await post([reading, reading, reading, reading], auth);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'WS_ERR_METER_BATCH_TOO_LARGE' });
    const huge = await post({ ...reading, pad: 'x'.repeat(4096) }, auth);
    expect(huge.statusCode).toBe(413);
    expect(batches).toEqual([]);
  });

  it('refuses a body that is not JSON or not an object or array with 400', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post('{"meterNo": ', auth)).statusCode).toBe(400);
    expect((await post('42', auth)).statusCode).toBe(400);
    expect(batches).toEqual([]);
  });

  it('answers 503 when the store failed, so the vendor retries', async () => {
    storeDown = true;
    const res = await post(reading, { authorization: `Bearer ${TOKEN}` });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'WS_ERR_METER_STORE_FAILED' });
  });
});
