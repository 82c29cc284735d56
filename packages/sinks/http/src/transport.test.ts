import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@watershed/common/testing';
import { silentLogger, systemClock } from '@watershed/common';
import {
  SinkPermanentError,
  SinkRetryAfterError,
  createSink,
  parseSinkConfig,
  type Sink,
  type SinkAlarm,
  type SinkDeps,
  type SinkRow,
} from '@watershed/sink-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { httpSink } from './index.js';
import { TestReceiver } from './test-receiver.js';
import { HttpTransport } from './transport.js';

const signal = new AbortController().signal;

describe('http webhook transport', () => {
  let receiver: TestReceiver;
  let dataDir: string;
  let deps: SinkDeps;
  let transports: HttpTransport[];
  let sinks: Sink[];

  beforeEach(async () => {
    receiver = new TestReceiver();
    await receiver.start();
    dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-http-'));
    deps = { logger: silentLogger(), clock: systemClock, dataDir };
    transports = [];
    sinks = [];
  });

  afterEach(async () => {
    await Promise.all([...transports.map((t) => t.close()), ...sinks.map((s) => s.close())]);
    await receiver.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function transport(config: Record<string, unknown> = {}): HttpTransport {
    const full = parseSinkConfig(httpSink, { id: 'hook', type: 'http', url: receiver.url, ...config });
    const t = new HttpTransport(full, deps);
    transports.push(t);
    return t;
  }

  it('POSTs the batch as a JSON array by default', async () => {
    const rows = [
      { point: 'n.a.g.t', value: 1.5 },
      { point: 'n.a.g.u', value: 'x' },
    ];
    await transport().send(rows, signal);
    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    expect(req).toMatchObject({ method: 'POST', url: '/hook' });
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual(rows);
  });

  it('renders the method, header templates and a per-row body template', async () => {
    const t = transport({
      method: 'PUT',
      headers: { authorization: 'Bearer s3cret', 'x-site': '${site}' },
      body: '{"p":${point|json},"v":${value|json}}',
      contentType: 'application/x-ndjson',
    });
    await t.send(
      [
        { site: 'north', point: 'a', value: 1 },
        { site: 'north', point: 'b "q"', value: null },
      ],
      signal,
    );
    const [req] = receiver.requests;
    expect(req!.method).toBe('PUT');
    expect(req!.headers).toMatchObject({
      authorization: 'Bearer s3cret',
      'x-site': 'north',
      'content-type': 'application/x-ndjson',
    });
    expect(req!.body.split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { p: 'a', v: 1 },
      { p: 'b "q"', v: null },
    ]);
  });

  it('rejects 4xx for good, except 408 and 429 which retry honouring Retry-After', async () => {
    const t = transport();
    receiver.answer({ status: 400 }, { status: 404 }, { status: 301, headers: { location: '/elsewhere' } });
    await expect(t.send([{ a: 1 }], signal)).rejects.toBeInstanceOf(SinkPermanentError);
    await expect(t.send([{ a: 1 }], signal)).rejects.toThrow(/answered 404: status 404/);
    await expect(t.send([{ a: 1 }], signal)).rejects.toThrow(/redirects \(301\) to \/elsewhere/);

    const at = new Date(Date.now() + 30_000).toUTCString();
    receiver.answer(
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503, headers: { 'retry-after': at } },
      { status: 408 },
      { status: 500 },
    );
    const e429 = await t.send([{ a: 1 }], signal).catch((e: unknown) => e);
    expect(e429).toBeInstanceOf(SinkRetryAfterError);
    expect((e429 as SinkRetryAfterError).retryAfterMs).toBe(7_000);
    const e503 = await t.send([{ a: 1 }], signal).catch((e: unknown) => e);
    expect((e503 as SinkRetryAfterError).retryAfterMs).toBeGreaterThan(25_000);
    for (const status of [408, 500]) {
      const e = await t.send([{ a: 1 }], signal).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'WS_ERR_SINK_HTTP_STATUS', details: { status } });
      expect(e).not.toBeInstanceOf(SinkPermanentError);
    }
  });

  it('times out a request that gets no answer (retryable)', async () => {
    receiver.answer('hang');
    const e = await transport({ timeoutMs: 150 })
      .send([{ a: 1 }], signal)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'WS_ERR_SINK_HTTP_TIMEOUT' });
    expect(e).not.toBeInstanceOf(SinkPermanentError);
  });

  it('fails a refused connection as retryable', async () => {
    const port = await freePort();
    const t = transport({ url: `http://127.0.0.1:${port}/hook` });
    const e = await t.send([{ a: 1 }], signal).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('counts and alarms what it drops when the disk queue is full, and keeps serving', async () => {
    const alarms: SinkAlarm[] = [];
    const sink = createSink(
      httpSink,
      {
        id: 'hook',
        url: receiver.url,
        batch: { maxRows: 10, maxDelayMs: 5 },
        queue: { memoryRows: 10, diskMaxBytes: 2_000 },
        retry: { initialMs: 20, maxMs: 100 },
      },
      { ...deps, onAlarm: (a) => alarms.push(a) },
    );
    sinks.push(sink);
    await receiver.stop();
    for (let seq = 0; seq < 300; seq++) await sink.write([{ point: 'p', seq }]);
    const full = sink.metrics();
    expect(full.dropped).toBeGreaterThan(0);
    expect(full.diskBytes).toBeLessThanOrEqual(2_000);
    expect(full.matched).toBe(300);
    expect(full.matched).toBe(full.success + full.failed + full.dropped + full.queued + full.inflight);
    expect(sink.health()).toMatchObject({ state: 'degraded', alarm: true });
    expect(alarms).toEqual([expect.objectContaining({ sink: 'hook', kind: 'queue-full', active: true })]);
    await receiver.start();
    await sink.flush();
    // What was accepted arrives, in order, and nothing else: the oldest rows were kept.
    const accepted = 300 - sink.metrics().dropped;
    expect(receiver.rows.map((r) => r['seq'])).toEqual(Array.from({ length: accepted }, (_, i) => i));
    expect(alarms.at(-1)).toMatchObject({ active: false });
    expect(sink.health()).toMatchObject({ state: 'up', alarm: false });
  });

  it('survives the receiver going away mid-stream: every row once, in order, queueing shown', async () => {
    const sink = createSink(
      httpSink,
      {
        id: 'hook',
        url: receiver.url,
        batch: { maxRows: 25, maxDelayMs: 5 },
        queue: { memoryRows: 100 },
        retry: { initialMs: 20, maxMs: 100 },
      },
      deps,
    );
    sinks.push(sink);
    const row = (seq: number): SinkRow => ({ point: `p${seq % 3}`, seq: Math.floor(seq / 3) });
    let seq = 0;
    const publish = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await sink.write([row(seq++)]);
    };
    await publish(300);
    await receiver.stop();
    await publish(600); // keep publishing while the receiver is down
    await waitFor(() => sink.metrics().retries > 0, { message: 'sends failing while the receiver is down' });
    const down = sink.metrics();
    expect(down.matched).toBe(down.success + down.failed + down.dropped + down.queued + down.inflight);
    expect(down.queuedDisk).toBeGreaterThan(0);
    expect(sink.health().state).toBe('down');
    await receiver.start(); // same port
    await publish(300);
    await sink.flush();
    for (const p of ['p0', 'p1', 'p2']) {
      const seqs = receiver.rows.filter((r) => r['point'] === p).map((r) => r['seq']);
      expect(seqs).toEqual(Array.from({ length: 400 }, (_, i) => i));
    }
    expect(sink.metrics()).toMatchObject({ matched: 1200, success: 1200, failed: 0, dropped: 0, queued: 0 });
    expect(sink.health().state).toBe('up');
  });
});
