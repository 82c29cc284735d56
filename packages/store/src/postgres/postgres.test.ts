import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { PostgresStore } from './options.js';
import { createPostgresStore } from './store.js';
import { PostgresCluster } from './testing/cluster.js';
import { SCHEMA_VERSION } from './migrations.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 27, 12);

let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await PostgresCluster.create();
}, 60_000);

afterAll(async () => {
  await cluster?.destroy();
});

/** One statement on its own connection, so the outage test leaves no broken client behind. */
async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const db = new pg.Client({ connectionString: cluster.connectionString });
  await db.connect();
  try {
    return (await db.query<R>(text, values)).rows;
  } finally {
    await db.end();
  }
}

async function partitions(schema: string): Promise<string[]> {
  const rows = await sql<{ relname: string }>(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [`${schema}.samples`],
  );
  return rows.map((row) => row.relname);
}

describe('PostgreSQL store specifics', () => {
  it('creates day partitions ahead at open and on demand for late data, and drops them by retention', async () => {
    const clock = new FakeClock(NOW);
    const store = await createPostgresStore({
      connectionString: cluster.connectionString,
      schema: 'parts',
      partition: 'day',
      partitionsAhead: 1,
      retention: { raw: 2 * DAY, '1m': 2 * DAY, '1h': 30 * DAY },
      clock,
      maxBatch: 1, // writes go out at once, not on the fake clock's timer
      maintenanceIntervalMs: 30 * DAY,
    });
    try {
      expect(await partitions('parts')).toEqual(['samples_20261127', 'samples_20261128']);
      const old = NOW - 1.5 * DAY; // 2026-11-26 00:00 UTC: inside raw retention, in a new partition
      await store.writeSamples([
        { point: 's.n.g.t', ts: old, value: 1, quality: 'good' },
        { point: 's.n.g.t', ts: NOW, value: 2, quality: 'good' },
        { point: 's.n.g.t', ts: NOW - 3 * DAY, value: 0, quality: 'good' }, // beyond retention: dropped
      ]);
      expect(store.stats().dropped).toBe(1);
      expect(await partitions('parts')).toEqual(['samples_20261126', 'samples_20261127', 'samples_20261128']);

      await clock.advance(2 * DAY); // raw cut-off now 2026-11-27 12:00: only the 26th lies wholly before it
      const pruned = await store.maintain();
      expect(pruned.partitions).toEqual(['samples_20261126']);
      expect(pruned['1m']).toBe(1); // the minute of `old`; the hour stays (30 days)
      expect(pruned['1h']).toBe(0);
      expect(await partitions('parts')).toEqual([
        'samples_20261127',
        'samples_20261128',
        'samples_20261129',
        'samples_20261130',
      ]);
      expect((await store.series('s.n.g.t', { from: 0, to: NOW })).map((r) => r.value)).toEqual([2]);
      expect(await store.rollups('s.n.g.t', { tier: '1h', from: old, to: old })).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('round-trips text that COPY must escape: tabs, newlines, backslashes and a literal \\N', async () => {
    const store = await createPostgresStore({
      connectionString: cluster.connectionString,
      schema: 'escapes',
    });
    try {
      const texts = ['a\tb', 'line1\nline2', 'cr\r', 'back\\slash', '\\N', '\\', ' ', 'ünï ☃ 水'];
      const rows = texts.map((value, i) => ({
        point: 's.n.g.t',
        ts: NOW + i,
        value,
        quality: 'good' as const,
        reason: `r\t${value}`,
      }));
      await store.writeSamples(rows);
      expect(await store.series('s.n.g.t', { from: NOW, to: NOW + 100 })).toEqual(rows);
    } finally {
      await store.close();
    }
  });

  it('records the schema version and refuses a schema written by a newer build', async () => {
    const store = await createPostgresStore({
      connectionString: cluster.connectionString,
      schema: 'versions',
    });
    await store.close();
    const rows = await sql<{ v: number }>('SELECT max(version) AS v FROM versions.schema_version');
    expect(rows[0]?.v).toBe(SCHEMA_VERSION);
    await sql('INSERT INTO versions.schema_version (version) VALUES ($1)', [SCHEMA_VERSION + 1]);
    await expect(
      createPostgresStore({ connectionString: cluster.connectionString, schema: 'versions' }),
    ).rejects.toMatchObject({ code: 'WS_ERR_STORE_SCHEMA_NEWER' });
  });

  it('rejects bad options and an unreachable database with catalog errors', async () => {
    await expect(
      createPostgresStore({ connectionString: cluster.connectionString, schema: 'Bad-Name' }),
    ).rejects.toMatchObject({ code: 'WS_ERR_STORE_PG_OPTIONS' });
    await expect(
      createPostgresStore({
        connectionString: cluster.connectionString,
        retention: { raw: 2 * HOUR, '1m': HOUR },
      }),
    ).rejects.toMatchObject({ code: 'WS_ERR_STORE_INVALID_RETENTION' });
    await expect(
      createPostgresStore({ pool: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'watershed' } }),
    ).rejects.toMatchObject({ code: 'WS_ERR_STORE_PG_UNAVAILABLE' });
  });

  it('downsamples in the database keeping first, last, peaks and troughs, and gaps as gaps', async () => {
    const store = await createPostgresStore({ connectionString: cluster.connectionString, schema: 'down' });
    try {
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        point: 's.n.g.t',
        ts: NOW + i * 1000,
        value: i === 1234 ? 500 : i === 8765 ? -500 : Math.sin(i / 50),
        quality: 'good' as const,
      }));
      // A gap: nothing between samples 4000 and 6000.
      await store.writeSamples(rows.filter((_, i) => i < 4000 || i >= 6000));
      const d = await store.downsample('s.n.g.t', { from: NOW, to: NOW + 9_999_000, points: 400 });
      expect(d.length).toBeLessThanOrEqual(400);
      expect(d.length).toBeGreaterThan(150);
      expect(d[0]?.ts).toBe(NOW);
      expect(d.at(-1)?.ts).toBe(NOW + 9_999_000);
      expect(d.map((r) => r.value)).toContain(500);
      expect(d.map((r) => r.value)).toContain(-500);
      expect(d.map((r) => r.ts)).toEqual([...d.map((r) => r.ts)].sort((a, b) => a - b));
      expect(d.some((r) => r.ts >= NOW + 4000 * 1000 && r.ts < NOW + 6000 * 1000)).toBe(false);
      expect(await store.downsample('s.n.g.none', { from: NOW, to: NOW + 1, points: 10 })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  describe('when the database goes away', () => {
    let store: PostgresStore;
    const metrics = createMetricsRegistry();

    beforeAll(async () => {
      store = await createPostgresStore({
        connectionString: cluster.connectionString,
        schema: 'outage',
        flushIntervalMs: 1,
        metrics,
        pool: { connectionTimeoutMillis: 1000 },
      });
    });

    afterAll(async () => {
      await store.close();
    });

    it('rejects writes and reads with catalog errors, stays up, and recovers after a restart', async () => {
      await store.writeSamples([{ point: 's.n.g.t', ts: NOW, value: 1, quality: 'good' }]);
      await cluster.stop();
      try {
        await expect(
          store.writeSamples([{ point: 's.n.g.t', ts: NOW + 1, value: 2, quality: 'good' }]),
        ).rejects.toMatchObject({ code: 'WS_ERR_STORE_WRITE_FAILED' });
        expect(store.health()).toMatchObject({ ok: false });
        await expect(store.latest()).rejects.toMatchObject({ code: 'WS_ERR_STORE_PG_UNAVAILABLE' });
      } finally {
        await cluster.start();
      }
      // The failed batch is the caller's to retry (a sink queue does); the retry lands once.
      await store.writeSamples([{ point: 's.n.g.t', ts: NOW + 1, value: 2, quality: 'good' }]);
      expect(store.health().ok).toBe(true);
      expect((await store.series('s.n.g.t', { from: NOW, to: NOW + 1 })).map((r) => r.value)).toEqual([1, 2]);
      const text = await metrics.metrics();
      expect(text).toMatch(/^watershed_store_batch_failures_total 1$/m);
      expect(text).toMatch(/^watershed_store_rows_written_total 2$/m);
    });
  });
});
