import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, systemClock } from '@watershed/common';
import { parseSinkConfig, SinkPermanentError, SinkRetryAfterError } from '@watershed/sink-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { influxLineSink } from './index.js';
import { InfluxLineTransport } from './transport.js';

// How answers are classified and what is sent, against a scripted node:http server (the
// VictoriaMetrics suite covers real writes; it never answers 401 or 422).
describe('influx line answers', () => {
  const seen: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const script: { status: number; headers?: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const a = script.shift() ?? { status: 204 };
      res.writeHead(a.status, a.headers).end(a.status >= 400 ? '{"code":"invalid","message":"nope"}' : '');
    });
  });
  let url = '';
  const transports: InfluxLineTransport[] = [];
  const signal = new AbortController().signal;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(transports.map((t) => t.close()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const transport = (config: Record<string, unknown> = {}): InfluxLineTransport => {
    const full = parseSinkConfig(influxLineSink, { id: 'i', type: 'influx-line', url, ...config });
    const t = new InfluxLineTransport(full, { logger: silentLogger(), clock: systemClock, dataDir: '.' });
    transports.push(t);
    return t;
  };
  const outcome = async (t: InfluxLineTransport): Promise<unknown> =>
    t.send([{ point: 'p', value: 1, ts: 1_700_000_000_000 }], signal).then(
      () => 'ok',
      (e: unknown) => e,
    );

  it('sends v2 token auth and v1 basic auth with the lines', async () => {
    await transport({ token: 't0k', org: 'o', bucket: 'b' }).send([{ point: 'p', value: 1, ts: 5 }], signal);
    await transport({ api: 'v1', db: 'd', rp: 'r', username: 'u', password: 'pw', precision: 's' }).send(
      [{ point: 'p', value: 2, ts: 5_000 }],
      signal,
    );
    expect(seen.at(-2)).toMatchObject({
      url: '/api/v2/write?org=o&bucket=b&precision=ms',
      headers: { authorization: 'Token t0k' },
      body: 'watershed,point=p value=1 5',
    });
    expect(seen.at(-1)).toMatchObject({
      url: '/write?db=d&rp=r&precision=s',
      headers: { authorization: `Basic ${Buffer.from('u:pw').toString('base64')}` },
      body: 'watershed,point=p value=2 5',
    });
  });

  it('fails 400, 413 and 422 for good; retries 401, 403, 404 and 5xx; honours Retry-After', async () => {
    const t = transport();
    for (const status of [400, 413, 422]) {
      script.push({ status });
      expect(await outcome(t), `status ${status}`).toBeInstanceOf(SinkPermanentError);
    }
    for (const status of [401, 403, 404, 500, 503]) {
      script.push({ status });
      const e = await outcome(t);
      expect(e, `status ${status}`).toMatchObject({ code: 'WS_ERR_SINK_INFLUX_STATUS', details: { status } });
      expect(e).not.toBeInstanceOf(SinkPermanentError);
    }
    script.push({ status: 429, headers: { 'retry-after': '3' } });
    const e = await outcome(t);
    expect(e).toBeInstanceOf(SinkRetryAfterError);
    expect((e as SinkRetryAfterError).retryAfterMs).toBe(3_000);
  });
});
