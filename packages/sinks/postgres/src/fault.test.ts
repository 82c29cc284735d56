import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { createSink, type Sink, type SinkMetrics, type SinkRow } from '@watershed/sink-core';
import { PostgresCluster } from '@watershed/store/testing';
import { postgresSink } from './index.js';
import { sql } from './test-peer.js';

const T0 = Date.UTC(2026, 10, 27);
const POINTS = ['s.n.g.flow', 's.n.g.level', 's.n.g.pressure'];

let cluster: PostgresCluster;
let dataDir: string;

beforeAll(async () => {
  cluster = await PostgresCluster.create();
  dataDir = await mkdtemp(join(tmpdir(), 'ws-sink-pg-fault-'));
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

function identity(m: SinkMetrics): void {
  expect(m.matched).toBe(m.success + m.failed + m.dropped + m.queued + m.inflight);
}

/** One poll cycle: a sample of each point at second `i`. */
function cycle(i: number): SinkRow[] {
  return POINTS.map((point) => ({ point, ts: T0 + i * 1000, value: i, quality: 'good' }));
}

describe('postgres sink when PostgreSQL stops mid-stream', () => {
  let sink: Sink;

  afterAll(async () => {
    await sink?.close();
  });

  it('queues while the database is down, then delivers every row exactly once in order', async () => {
    sink = createSink(
      postgresSink,
      {
        id: 'pg-fault',
        connectionString: cluster.connectionString,
        schema: 'fault',
        partition: 'day',
        batch: { maxRows: 200, maxDelayMs: 5 },
        queue: { memoryRows: 500 },
        retry: { initialMs: 20, maxMs: 200 },
      },
      { logger: silentLogger(), clock: systemClock, dataDir },
    );
    let i = 0;
    const publish = async (cycles: number): Promise<void> => {
      for (const end = i + cycles; i < end; i++) await sink.write(cycle(i));
    };

    await publish(500);
    await waitFor(() => sink.metrics().success > 0, { message: 'first rows delivered' });
    await cluster.stop();
    await publish(1000); // the stream goes on while PostgreSQL is down
    await waitFor(() => sink.metrics().retries > 0, { message: 'a failed batch retried' });
    const down = sink.metrics();
    identity(down);
    expect(down.queued + down.inflight).toBeGreaterThan(0);
    expect(down.queuedDisk).toBeGreaterThan(0); // 500 rows of memory: the rest spilled to disk
    expect(sink.health().state).toBe('down');
    // What an operator sees: rows queued, not lost, while the database is away.
    console.info('while PostgreSQL was down:', JSON.stringify(down));

    await cluster.start();
    await publish(500);
    await sink.flush();
    const after = sink.metrics();
    identity(after);
    expect(after).toMatchObject({
      matched: 6000,
      success: 6000,
      failed: 0,
      dropped: 0,
      queued: 0,
      inflight: 0,
    });
    expect(sink.health().state).toBe('up');

    const rows = await sql<{ key: string; ts: number; num: number }>(
      cluster,
      `SELECT p.key, s.ts, s.num FROM fault.samples s JOIN fault.points p ON p.id = s.point_id
        ORDER BY p.key, s.ts`,
    );
    for (const point of POINTS) {
      const values = rows.filter((r) => r.key === point).map((r) => Number(r.num));
      expect(values, point).toEqual(Array.from({ length: 2000 }, (_, k) => k));
    }
    // Rollups saw each sample once too, replays and all.
    const hour = await sql<{ count: number }>(
      cluster,
      `SELECT sum(count)::int AS count FROM fault.rollup_1h r JOIN fault.points p ON p.id = r.point_id
        WHERE p.key = $1`,
      [POINTS[0]],
    );
    expect(hour[0]?.count).toBe(2000);
  });
});
