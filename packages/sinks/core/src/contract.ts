import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSink, createSinkWithTransport } from './sink.js';
import type { Sink, SinkDeps, SinkMetrics, SinkRow, SinkTransport, SinkType } from './types.js';

/** The peer a sink under contract test writes to. */
export interface SinkContractPeer {
  /**
   * Rows the peer holds, in the order it received them (per point), each carrying at least the
   * `point` and `seq` fields of the row written (the harness maps its peer's format back).
   */
  received(): Promise<SinkRow[]>;
  /** Makes the peer unreachable (stop the server); rows written meanwhile must queue. */
  stop(): Promise<void>;
  /** Brings the peer back, at the same address. */
  start(): Promise<void>;
}

/** What a harness builds for one test: a fresh peer and a way to reach it. */
export type SinkContractSubject = {
  readonly peer: SinkContractPeer;
  /**
   * Turns the contract's row `{ point, seq, ts, value }` into the row this sink takes
   * (default: as is). `point` is e.g. 'p1', `seq` counts from 0 per point, `ts` is ms epoch.
   */
  readonly row?: (point: string, seq: number, ts: number) => SinkRow;
  /** A row the sink rejects for good (e.g. an HTTP 400); omit when no such row exists. */
  readonly permanentlyBadRow?: SinkRow;
  /** Called after the test, after the sink is closed. */
  cleanup?(): Promise<void>;
} & (
  | { readonly transport: () => SinkTransport }
  | { readonly sinkType: SinkType<never>; readonly config: Record<string, unknown> }
);

const T0 = 1_700_000_000_000;

/**
 * The behaviour every sink must show, run against each sink package's real peer
 * (`describeSinkContract('http', async () => ({ sinkType: httpSink, config: { url }, peer }))`).
 * It checks: every row delivered exactly once, in order per point; batching; queueing while
 * the peer is down, with metrics that add up; resumption after the peer restarts; rows kept
 * on disk across a sink restart; a permanently rejected batch counted `failed`.
 */
export function describeSinkContract(
  name: string,
  build: () => Promise<SinkContractSubject>,
  opts: { timeoutMs?: number } = {},
): void {
  const timeout = opts.timeoutMs ?? 20_000;
  describe(`sink contract: ${name}`, () => {
    let subject: SinkContractSubject;
    let dataDir: string;
    let sinks: Sink[];

    beforeEach(async () => {
      subject = await build();
      dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-contract-'));
      sinks = [];
    }, timeout);

    afterEach(async () => {
      await Promise.allSettled(sinks.map((s) => s.close()));
      await subject.cleanup?.();
      await rm(dataDir, { recursive: true, force: true });
    }, timeout);

    const open = (common: Record<string, unknown> = {}): Sink => {
      const deps: SinkDeps = { logger: silentLogger(), clock: systemClock, dataDir };
      const base = {
        id: 'contract',
        retry: { initialMs: 20, maxMs: 200 },
        closeTimeoutMs: 500,
        ...common,
      };
      const sink =
        'transport' in subject
          ? createSinkWithTransport({ type: name, ...base }, subject.transport(), deps)
          : createSink(
              subject.sinkType as SinkType<Record<string, unknown>>,
              { ...subject.config, ...base },
              deps,
            );
      sinks.push(sink);
      return sink;
    };
    const row = (point: string, seq: number): SinkRow =>
      (subject.row ?? ((p, s, ts) => ({ point: p, seq: s, ts, value: s })))(point, seq, T0 + seq * 1000);
    /** `n` rows for each of `points`, interleaved as a plant's groups would be. */
    const rows = (points: readonly string[], from: number, n: number): SinkRow[] =>
      Array.from({ length: n }, (_, i) => points.map((p) => row(p, from + i))).flat();

    const expectExactlyOnceInOrder = async (points: readonly string[], n: number): Promise<void> => {
      const got = await subject.peer.received();
      for (const p of points) {
        const seqs = got.filter((r) => r['point'] === p).map((r) => Number(r['seq']));
        expect(seqs, `rows of ${p}`).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    };
    const expectIdentity = (m: SinkMetrics): void => {
      expect(m.matched).toBe(m.success + m.failed + m.dropped + m.queued + m.inflight);
    };

    it('delivers every row exactly once, in order per point', { timeout }, async () => {
      const sink = open({ batch: { maxRows: 100, maxDelayMs: 20 } });
      const points = ['p1', 'p2', 'p3'];
      for (let i = 0; i < 300; i += 30) await sink.write(rows(points, i, 30));
      await sink.flush();
      await expectExactlyOnceInOrder(points, 300);
      const m = sink.metrics();
      expect(m).toMatchObject({ matched: 900, success: 900, failed: 0, dropped: 0, queued: 0, inflight: 0 });
      expect(sink.health().state).toBe('up');
    });

    it('sends full batches of batch.maxRows', { timeout }, async () => {
      const sink = open({ batch: { maxRows: 50, maxDelayMs: 60_000 } });
      await sink.write(rows(['p1'], 0, 200));
      await sink.flush();
      expect(sink.metrics().batches).toBe(4);
      await expectExactlyOnceInOrder(['p1'], 200);
    });

    it('queues while the peer is down and resumes when it is back', { timeout }, async () => {
      const sink = open({ batch: { maxRows: 20, maxDelayMs: 10 }, queue: { memoryRows: 30 } });
      const points = ['p1', 'p2'];
      await sink.write(rows(points, 0, 20));
      await sink.flush();
      await subject.peer.stop();
      for (let i = 20; i < 100; i += 10) {
        await sink.write(rows(points, i, 10));
        expectIdentity(sink.metrics());
      }
      await waitFor(() => sink.metrics().retries > 0, { message: 'a failed send retried' });
      const down = sink.metrics();
      expectIdentity(down);
      expect(down.queued + down.inflight).toBe(160);
      expect(down.queuedDisk).toBeGreaterThan(0); // memory holds 30 rows: the rest spilled
      expect(sink.health().state).toBe('down');
      await subject.peer.start();
      await sink.flush();
      await expectExactlyOnceInOrder(points, 100);
      expect(sink.metrics()).toMatchObject({ matched: 200, success: 200, queued: 0, inflight: 0 });
      expect(sink.health().state).toBe('up');
    });

    it('keeps unsent rows on disk across a sink restart', { timeout }, async () => {
      await subject.peer.stop();
      const first = open({ batch: { maxRows: 10, maxDelayMs: 10 }, closeTimeoutMs: 50 });
      await first.write(rows(['p1'], 0, 50));
      await first.close();
      await subject.peer.start();
      const second = open({ batch: { maxRows: 10, maxDelayMs: 10 } });
      expect(second.metrics()).toMatchObject({ recovered: 50, matched: 50 });
      await second.write(rows(['p1'], 50, 10));
      await second.flush();
      await expectExactlyOnceInOrder(['p1'], 60);
      expectIdentity(second.metrics());
    });

    it('counts a permanently rejected batch as failed and goes on', { timeout }, async (ctx) => {
      const bad = subject.permanentlyBadRow;
      if (!bad) ctx.skip();
      const sink = open({ batch: { maxRows: 1, maxDelayMs: 0 } });
      await sink.write([row('p1', 0), bad!, row('p1', 1)]);
      await sink.flush();
      expect(sink.metrics()).toMatchObject({ matched: 3, success: 2, failed: 1, queued: 0, inflight: 0 });
      await expectExactlyOnceInOrder(['p1'], 2);
    });
  });
}
