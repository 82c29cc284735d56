import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import {
  createSink,
  parseSinkConfig,
  SinkPermanentError,
  type Sink,
  type SinkDeps,
} from '@watershed/sink-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { influxLineSink } from './index.js';
import { TestVictoria } from './test-victoria.js';
import { InfluxLineTransport } from './transport.js';

const signal = new AbortController().signal;

describe('influx line transport against VictoriaMetrics', () => {
  const vm = new TestVictoria();
  let dataDir: string;
  let deps: SinkDeps;
  let closers: (() => Promise<void>)[];
  const base = Date.now() - 3_600_000;

  beforeAll(() => vm.start(), 30_000);
  afterAll(() => vm.cleanup(), 30_000);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-influx-'));
    deps = { logger: silentLogger(), clock: systemClock, dataDir };
    closers = [];
  });

  afterEach(async () => {
    for (const c of closers) await c();
    await rm(dataDir, { recursive: true, force: true });
  });

  function transport(config: Record<string, unknown>): InfluxLineTransport {
    const full = parseSinkConfig(influxLineSink, {
      id: 'influx',
      type: 'influx-line',
      url: vm.url,
      ...config,
    });
    const t = new InfluxLineTransport(full, deps);
    closers.push(() => t.close());
    return t;
  }

  it('writes through /api/v2/write and /write, tags with special characters intact', async () => {
    const v2 = transport({ api: 'v2', org: 'o', bucket: 'b', measurement: 'esc', tags: ['point', 'site'] });
    const v1 = transport({ api: 'v1', db: 'plant', measurement: 'esc', tags: ['point', 'site'] });
    expect(v2.endpoint).toBe(`${vm.url}/api/v2/write?org=o&bucket=b&precision=ms`);
    expect(v1.endpoint).toBe(`${vm.url}/write?db=plant&precision=ms`);
    await v2.send([{ point: 'north pump,1=a', site: 'n', value: 1.5, ts: base }], signal);
    await v1.send([{ point: 'south pump,2=b', site: 's', value: -2, ts: base + 1 }], signal);
    const series = await vm.series('esc_value');
    const byPoint = Object.fromEntries(series.map((s) => [s.labels['point'], s]));
    expect(byPoint['north pump,1=a']).toMatchObject({ values: [1.5], timestamps: [base] });
    expect(byPoint['south pump,2=b']).toMatchObject({ values: [-2], timestamps: [base + 1] });
    expect(byPoint['south pump,2=b']!.labels['site']).toBe('s');
  });

  it('declares the precision it writes (s and ns land on the same instant)', async () => {
    const ts = base - (base % 1000);
    await transport({ precision: 's', measurement: 'prec' }).send([{ point: 's', value: 1, ts }], signal);
    await transport({ precision: 'ns', measurement: 'prec' }).send([{ point: 'ns', value: 2, ts }], signal);
    await transport({ api: 'v1', precision: 'ns', measurement: 'prec' }).send(
      [{ point: 'v1ns', value: 3, ts }],
      signal,
    );
    const series = await vm.series('prec_value');
    expect(Object.fromEntries(series.map((s) => [s.labels['point'], s.timestamps]))).toEqual({
      s: [ts],
      ns: [ts],
      v1ns: [ts],
    });
  });

  it('refuses a batch it cannot express for good, naming the row problem', async () => {
    const e = await transport({})
      .send([{ point: 'p', value: null }], signal)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SinkPermanentError);
    expect((e as Error).message).toMatch(/WS_ERR|no field with a value/);
  });

  it('survives the server restarting mid-stream: every row once, in order, queueing shown', async () => {
    const sink: Sink = createSink(
      influxLineSink,
      {
        id: 'influx',
        url: vm.url,
        measurement: 'fault',
        batch: { maxRows: 50, maxDelayMs: 5 },
        queue: { memoryRows: 100 },
        retry: { initialMs: 20, maxMs: 200 },
      },
      deps,
    );
    closers.push(() => sink.close());
    let n = 0;
    const publish = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++, n++) {
        await sink.write([{ point: `p${n % 2}`, seq: Math.floor(n / 2), ts: base + n }]);
      }
    };
    await publish(200);
    await vm.stop();
    await publish(400);
    await waitFor(() => sink.metrics().retries > 0, { message: 'writes failing while the server is down' });
    const down = sink.metrics();
    expect(down.matched).toBe(down.success + down.failed + down.dropped + down.queued + down.inflight);
    expect(down.queuedDisk).toBeGreaterThan(0);
    expect(sink.health().state).toBe('down');
    await vm.start();
    await publish(200);
    await sink.flush();
    const series = await vm.series('fault_seq');
    for (const p of ['p0', 'p1']) {
      const s = series.find((x) => x.labels['point'] === p);
      expect(s?.values).toEqual(Array.from({ length: 400 }, (_, i) => i));
    }
    expect(sink.metrics()).toMatchObject({ matched: 800, success: 800, queued: 0, dropped: 0 });
  }, 60_000);
});
