import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryPeer } from './memory-peer.js';
import { createSinkWithTransport } from './sink.js';
import {
  SinkRetryAfterError,
  type Sink,
  type SinkAlarm,
  type SinkMetrics,
  type SinkRow,
  type SinkTransport,
} from './types.js';

const rows = (from: number, n: number): SinkRow[] =>
  Array.from({ length: n }, (_, i) => ({ point: 'p1', seq: from + i, value: from + i }));
const seqs = (got: readonly SinkRow[]): number[] => got.map((r) => Number(r['seq']));
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

function expectIdentity(m: SinkMetrics): void {
  expect(m.matched, JSON.stringify(m)).toBe(m.success + m.failed + m.dropped + m.queued + m.inflight);
}

describe('queued sink', () => {
  let dataDir: string;
  let clock: FakeClock;
  let peer: MemoryPeer;
  let alarms: SinkAlarm[];
  let open: Sink[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-core-'));
    clock = new FakeClock();
    peer = new MemoryPeer();
    alarms = [];
    open = [];
  });

  afterEach(async () => {
    await Promise.all(
      open.map(async (s) => {
        const closing = s.close();
        await clock.advance(60_000);
        await closing;
      }),
    );
    await rm(dataDir, { recursive: true, force: true });
  });

  function sink(opts: Record<string, unknown> = {}, transport: SinkTransport = peer.transport()): Sink {
    const s = createSinkWithTransport({ id: 's1', type: 'memory', ...opts }, transport, {
      logger: silentLogger(),
      clock,
      dataDir,
      onAlarm: (a) => alarms.push(a),
    });
    open.push(s);
    return s;
  }

  async function close(s: Sink): Promise<void> {
    const closing = s.close();
    await clock.advance(60_000);
    await closing;
  }

  it('holds a partial batch for batch.maxDelayMs, then sends it as one batch', async () => {
    const s = sink();
    await s.write(rows(0, 3));
    await clock.advance(199);
    expect(await peer.received()).toEqual([]);
    expect(s.metrics()).toMatchObject({ matched: 3, queued: 3, queuedMemory: 3 });
    await clock.advance(1);
    expect(seqs(await peer.received())).toEqual([0, 1, 2]);
    expect(peer.batchSizes()).toEqual([3]);
    expect(s.metrics()).toMatchObject({ matched: 3, success: 3, queued: 0, batches: 1 });
  });

  it('sends at once when batch.maxRows rows are waiting, in batches of at most maxRows', async () => {
    const s = sink({ batch: { maxRows: 4, maxDelayMs: 10_000 } });
    await s.write(rows(0, 10));
    await clock.advance(0);
    // The pump sends until the queue is empty once started: 4 + 4 + the 2 left.
    expect(peer.batchSizes()).toEqual([4, 4, 2]);
    expect(seqs(await peer.received())).toEqual(range(0, 10));
  });

  it('retries with exponential backoff capped at retry.maxMs', async () => {
    const s = sink({ batch: { maxRows: 1, maxDelayMs: 0 }, retry: { initialMs: 500, maxMs: 2_000 } });
    const t = peer.transport();
    const s2 = sink(
      { id: 's2', batch: { maxRows: 1, maxDelayMs: 0 }, retry: { initialMs: 500, maxMs: 2_000 } },
      t,
    );
    await close(s);
    await peer.stop();
    await s2.write(rows(0, 1));
    await clock.advance(0);
    expect(t.sends).toBe(1);
    const at: number[] = [];
    for (const step of [500, 1_000, 2_000, 2_000, 2_000]) {
      await clock.advance(step - 1);
      at.push(t.sends);
      await clock.advance(1);
    }
    // One more send exactly at each backoff step, none before.
    expect(at).toEqual([1, 2, 3, 4, 5]);
    expect(t.sends).toBe(6);
    expect(s2.health()).toMatchObject({ state: 'down', failures: 6 });
    expect(s2.metrics()).toMatchObject({ retries: 6, inflight: 1, queued: 0 });
    expectIdentity(s2.metrics());
    await peer.start();
    await clock.advance(2_000);
    expect(seqs(await peer.received())).toEqual([0]);
    expect(s2.health()).toMatchObject({ state: 'up', failures: 0 });
  });

  it('waits at least the Retry-After the peer asked for', async () => {
    let sends = 0;
    const inner = peer.transport();
    const transport: SinkTransport = {
      send: (b, sig) =>
        ++sends === 1 ? Promise.reject(new SinkRetryAfterError('429', 5_000)) : inner.send(b, sig),
      close: () => inner.close(),
    };
    const s = sink(
      { batch: { maxRows: 1, maxDelayMs: 0 }, retry: { initialMs: 100, maxMs: 1_000 } },
      transport,
    );
    await s.write(rows(0, 1));
    await clock.advance(4_999);
    expect(sends).toBe(1);
    await clock.advance(1);
    expect(sends).toBe(2);
    expect(seqs(await peer.received())).toEqual([0]);
  });

  it('spills to disk past queue.memoryRows and keeps one FIFO order', async () => {
    const s = sink({ batch: { maxRows: 20, maxDelayMs: 100 }, queue: { memoryRows: 5 } });
    await peer.stop();
    await s.write(rows(0, 4));
    expectIdentity(s.metrics());
    await s.write(rows(4, 8));
    expect(s.metrics()).toMatchObject({ queuedMemory: 5, queuedDisk: 7, inflight: 0 });
    expectIdentity(s.metrics());
    await clock.advance(100); // a batch never mixes tiers: the 5 memory rows go first, and fail
    expect(s.metrics()).toMatchObject({ inflight: 5, queuedMemory: 0, queuedDisk: 7 });
    expectIdentity(s.metrics());
    // Memory has room again, but rows are on disk: new rows must queue behind them.
    await s.write(rows(12, 2));
    expect(s.metrics()).toMatchObject({ queuedMemory: 0, queuedDisk: 9 });
    expectIdentity(s.metrics());
    await peer.start();
    const flushed = s.flush();
    await clock.advance(1_000);
    await flushed;
    expect(seqs(await peer.received())).toEqual(range(0, 14));
    expect(s.metrics()).toMatchObject({ matched: 14, success: 14, queued: 0, inflight: 0, diskBytes: 0 });
  });

  it('drops rows past queue.diskMaxBytes, counts them, raises and clears the alarm', async () => {
    const rowBytes = Buffer.byteLength(JSON.stringify(rows(10, 1)[0]));
    const s = sink({
      batch: { maxRows: 100, maxDelayMs: 100 },
      queue: { memoryRows: 2, diskMaxBytes: rowBytes * 5 },
    });
    await peer.stop();
    await s.write(rows(10, 10)); // 2 in memory, 5 on disk, 3 dropped
    expect(s.metrics()).toMatchObject({ matched: 10, queuedMemory: 2, queuedDisk: 5, dropped: 3 });
    expectIdentity(s.metrics());
    expect(s.health()).toMatchObject({ state: 'degraded', alarm: true });
    expect(alarms).toEqual([
      expect.objectContaining({ sink: 's1', kind: 'queue-full', active: true, dropped: 3 }),
    ]);
    await s.write(rows(20, 2)); // still full: counted, alarm not raised twice
    expect(s.metrics().dropped).toBe(5);
    expect(alarms).toHaveLength(1);
    await peer.start();
    const flushed = s.flush();
    await clock.advance(1_000);
    await flushed;
    expect(seqs(await peer.received())).toEqual(range(10, 7));
    expect(s.metrics()).toMatchObject({ matched: 12, success: 7, dropped: 5, queued: 0 });
    expect(alarms[1]).toMatchObject({ active: false, dropped: 5 });
    expect(s.health()).toMatchObject({ state: 'up', alarm: false });
  });

  it('counts rows that cannot be queued (not serialisable) as failed', async () => {
    const s = sink({ queue: { memoryRows: 1 } });
    await peer.stop();
    await s.write([...rows(0, 1), { point: 'p1', seq: 1, big: 1n }, ...rows(2, 1)]);
    expect(s.metrics()).toMatchObject({ matched: 3, failed: 1, queuedMemory: 1, queuedDisk: 1 });
    expectIdentity(s.metrics());
  });

  it('counts a permanently rejected batch as failed and sends the next', async () => {
    const s = sink({ batch: { maxRows: 2, maxDelayMs: 0 } });
    await s.write([...rows(0, 2), { point: 'p1', seq: 99, reject: true }, ...rows(2, 1)]);
    const flushed = s.flush();
    await clock.advance(0);
    await flushed;
    // Batches [0,1] ok, [reject,2] failed as a whole (all or nothing).
    expect(seqs(await peer.received())).toEqual([0, 1]);
    expect(s.metrics()).toMatchObject({ matched: 4, success: 2, failed: 2, retries: 0 });
    expect(s.health().state).toBe('up');
  });

  it('keeps the batch in flight, memory and disk rows on disk across close, and resends them in order', async () => {
    const opts = { batch: { maxRows: 4, maxDelayMs: 10 }, queue: { memoryRows: 6 }, closeTimeoutMs: 100 };
    const s = sink(opts);
    await peer.stop();
    await s.write(rows(0, 10)); // 6 memory + 4 disk
    await clock.advance(10); // batch 0..3 in flight, failing
    expect(s.metrics()).toMatchObject({ inflight: 4, queuedMemory: 2, queuedDisk: 4 });
    await close(s);
    await expect(s.write(rows(10, 1))).rejects.toMatchObject({ code: 'WS_ERR_SINK_CLOSED' });
    await expect(s.flush()).rejects.toMatchObject({ code: 'WS_ERR_SINK_CLOSED' });
    expect(s.health().state).toBe('down');

    await peer.start();
    const again = sink(opts);
    // 10 rows ≥ batch.maxRows: the backlog is sent at once, the first batch straight from disk.
    expect(again.metrics()).toMatchObject({ recovered: 10, matched: 10, queuedDisk: 6, inflight: 4 });
    await again.write(rows(10, 2));
    const flushed = again.flush();
    await clock.advance(1_000);
    await flushed;
    expect(seqs(await peer.received())).toEqual(range(0, 12));
    expect(again.metrics()).toMatchObject({ matched: 12, success: 12, queued: 0, diskBytes: 0 });
  });

  it('loses nothing on disk in a crash: a new sink on the same file re-sends it (at-least-once)', async () => {
    const opts = { batch: { maxRows: 4, maxDelayMs: 10 }, queue: { memoryRows: 0 } };
    // The crashed sink runs on its own clock, which stops when it "dies": its retry never fires.
    const frozen = new FakeClock();
    const crashed = createSinkWithTransport({ id: 's1', type: 'memory', ...opts }, peer.transport(), {
      logger: silentLogger(),
      clock: frozen,
      dataDir,
    });
    await peer.stop();
    await crashed.write(rows(0, 10)); // memoryRows 0: on disk before write() resolves
    await frozen.advance(10); // a batch of 4 in flight, failing
    expect(crashed.metrics()).toMatchObject({ queuedDisk: 6, inflight: 4 });
    // No close(): the process died here. The next start reads the same file.
    await peer.start();
    const next = sink(opts);
    expect(next.metrics().recovered).toBe(10);
    const flushed = next.flush();
    await clock.advance(1_000);
    await flushed;
    expect(seqs(await peer.received())).toEqual(range(0, 10));
    // Release the dead sink's file handle (its close finds nothing left to keep).
    const closing = crashed.close();
    await frozen.advance(60_000);
    await closing;
  });

  it('drains within closeTimeoutMs when the peer is up', async () => {
    const s = sink({ batch: { maxRows: 5, maxDelayMs: 10_000 } });
    await s.write(rows(0, 12));
    await close(s);
    expect(seqs(await peer.received())).toEqual(range(0, 12));
    const again = sink();
    expect(again.metrics().recovered).toBe(0);
  });

  it('retries open() with backoff before the first send', async () => {
    let opens = 0;
    const inner = peer.transport();
    const transport: SinkTransport = {
      open: () => (++opens < 3 ? Promise.reject(new Error('no route')) : Promise.resolve()),
      send: (b, sig) => inner.send(b, sig),
      close: () => inner.close(),
    };
    const s = sink(
      { batch: { maxRows: 1, maxDelayMs: 0 }, retry: { initialMs: 100, maxMs: 1_000 } },
      transport,
    );
    await s.write(rows(0, 1));
    await clock.advance(0);
    expect(opens).toBe(1);
    expect(s.health()).toMatchObject({ state: 'down', lastError: 'no route' });
    await clock.advance(100 + 200);
    expect(opens).toBe(3);
    expect(seqs(await peer.received())).toEqual([0]);
  });

  it('keeps matched = success + failed + dropped + queued + inflight through a stream with outages', async () => {
    const rowBytes = Buffer.byteLength(JSON.stringify(rows(100, 1)[0]));
    const s = sink({
      batch: { maxRows: 7, maxDelayMs: 30 },
      queue: { memoryRows: 20, diskMaxBytes: rowBytes * 40 },
      retry: { initialMs: 50, maxMs: 400 },
    });
    let seq = 0;
    for (let step = 0; step < 120; step++) {
      if (step === 20) await peer.stop();
      if (step === 80) await peer.start();
      if (step % 17 === 0) peer.failNext(1);
      await s.write(rows(seq, 3));
      seq += 3;
      expectIdentity(s.metrics());
      await clock.advance(10);
      expectIdentity(s.metrics());
    }
    const flushed = s.flush();
    await clock.advance(10_000);
    await flushed;
    const m = s.metrics();
    expectIdentity(m);
    expect(m.dropped).toBeGreaterThan(0);
    expect(m.queued + m.inflight).toBe(0);
    const got = seqs(await peer.received());
    expect(got.length).toBe(m.success);
    expect([...got].sort((a, b) => a - b)).toEqual(got); // in order, no duplicates
    expect(new Set(got).size).toBe(got.length);
  });
});
