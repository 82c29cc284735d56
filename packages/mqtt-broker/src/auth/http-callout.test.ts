import { silentLogger, systemClock } from '@watershed/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../test-harness.js';
import { HttpCalloutSource } from './http-callout.js';
import { HttpSourceConfig } from './schema.js';

/** The service's behaviour for the next requests; each test sets it. */
let answer: (body: Record<string, string>, res: ServerResponse) => void;
const received: Record<string, string>[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, string>;
      received.push({
        ...body,
        contentType: req.headers['content-type'] ?? '',
        auth: req.headers.authorization ?? '',
      });
      answer(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mqtt/auth`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function source(config: Record<string, unknown> = {}): HttpCalloutSource {
  const full = Value.Default(HttpSourceConfig, { type: 'http', url, ...config }) as HttpSourceConfig;
  return new HttpCalloutSource(full, { clock: systemClock, logger: silentLogger() });
}

const json = (status: number, body?: unknown) => (_b: unknown, res: ServerResponse) => {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(body === undefined ? undefined : JSON.stringify(body));
};

const req = {
  clientId: 'gw-7',
  username: 'plant-7',
  password: Buffer.from('s3cret'),
  remoteAddress: '10.1.2.3',
  listener: 'plants',
  certificate: { cn: 'plant-7', dns: [], email: [], uri: [] },
};

describe('HTTP callout source', () => {
  it('POSTs the JSON body template with placeholders filled, and configured headers', async () => {
    answer = json(200, { result: 'allow' });
    received.length = 0;
    const s = source({
      headers: { authorization: 'Bearer broker-token' },
      body: {
        clientid: '${clientid}',
        username: '${username}',
        password: '${password}',
        peerhost: '${peerhost}',
        listener: '${listener}',
        cn: '${cert_common_name}',
        fixed: 'v1',
      },
    });
    expect(await s.authenticate(req)).toEqual({ result: 'allow', username: 'plant-7' });
    expect(received).toEqual([
      {
        clientid: 'gw-7',
        username: 'plant-7',
        password: 's3cret',
        peerhost: '10.1.2.3',
        listener: 'plants',
        cn: 'plant-7',
        fixed: 'v1',
        contentType: 'application/json',
        auth: 'Bearer broker-token',
      },
    ]);
  });

  it('reads allow / deny / ignore, is_superuser, acl and expire_at as EMQX does; 204 is allow', async () => {
    const s = source();
    answer = json(200, {
      result: 'allow',
      is_superuser: true,
      acl: [{ permission: 'deny', action: 'all', topic: 'secret/#' }],
      expire_at: 1_900_000_000,
    });
    expect(await s.authenticate(req)).toEqual({
      result: 'allow',
      username: 'plant-7',
      superuser: true,
      acl: [{ permission: 'deny', action: 'all', topic: 'secret/#' }],
      expiresAt: 1_900_000_000_000,
    });
    answer = json(200, { result: 'deny' });
    expect(await s.authenticate(req)).toMatchObject({ result: 'deny', reason: 'bad_credentials' });
    answer = json(200, { result: 'ignore' });
    expect(await s.authenticate(req)).toEqual({ result: 'ignore' });
    answer = json(204);
    expect(await s.authenticate(req)).toEqual({ result: 'allow', username: 'plant-7' });
  });

  it('answers onError when the service fails: 5xx, 4xx, or a body without a result', async () => {
    const ignoring = source();
    const denying = source({ onError: 'deny' });
    for (const broken of [json(500, { error: 'db down' }), json(403), json(200, { ok: true })]) {
      answer = broken;
      expect(await ignoring.authenticate(req)).toEqual({ result: 'ignore' });
      expect(await denying.authenticate(req)).toMatchObject({ result: 'deny', reason: 'not_authorized' });
    }
  });

  it('gives up after timeoutMs', async () => {
    const held: ServerResponse[] = [];
    answer = (_b, res) => held.push(res);
    const s = source({ timeoutMs: 150, onError: 'deny' });
    const started = Date.now();
    expect(await s.authenticate(req)).toMatchObject({
      result: 'deny',
      detail: 'http: no answer within 150 ms',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    for (const res of held) res.destroy();
  });

  it('keeps at most maxConcurrent requests in flight; the rest queue within their timeout', async () => {
    const held: ServerResponse[] = [];
    received.length = 0;
    answer = (_b, res) => held.push(res);
    const s = source({ maxConcurrent: 2, timeoutMs: 5000 });
    const results = Array.from({ length: 5 }, () => s.authenticate(req));
    await until(() => held.length === 2, 'two requests at the service');
    expect(s.inFlight).toBe(2);
    // Releasing one lets exactly one more through.
    json(200, { result: 'allow' })({}, held.shift()!);
    await until(() => held.length === 2, 'the third request');
    expect(received).toHaveLength(3);
    expect(s.inFlight).toBe(2);
    answer = json(200, { result: 'allow' });
    for (const res of held.splice(0)) json(200, { result: 'allow' })({}, res);
    expect((await Promise.all(results)).map((r) => r.result)).toEqual([
      'allow',
      'allow',
      'allow',
      'allow',
      'allow',
    ]);
    expect(s.inFlight).toBe(0);
  });
});
