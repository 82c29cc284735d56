import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { silentLogger, systemClock } from '@watershed/common';
import { createSink, type SinkRow } from '@watershed/sink-core';
import { postgresSink } from '@watershed/sink-postgres';
import { createPostgresStore } from '@watershed/store';
import { PostgresCluster } from '@watershed/store/bench';
import { result, type BenchResult } from '../../lib/report.js';
import type { PartOptions } from './embedded.js';
import { queryResults } from './embedded.js';
import {
  DAY,
  DAY_POINT,
  HOUR,
  medianMs,
  latest30k,
  pollCycle,
  seedQueries,
  series1d,
  SECOND,
  T0,
  timed,
  trend1y,
  TREND_FROM,
  TREND_POINT,
} from './measure.js';

const SCHEMA = 'bench';

/**
 * PostgreSQL: the sink's throughput into the store (partitioned samples, rollups and latest kept,
 * idempotent on point+ts) against plain COPY of the same rows into a bare table — the floor any
 * PostgreSQL writer stands on — then the reads and the bytes per sample. The server is a
 * throwaway cluster started here, as the tests start theirs (Debian's postgresql-15).
 */
export async function postgresPart(opts: PartOptions): Promise<BenchResult[]> {
  const cluster = await PostgresCluster.create({ settings: { shared_buffers: '256MB' } });
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-bench-sink-'));
  const results: BenchResult[] = [];
  try {
    const version = await serverVersion(cluster.connectionString);
    const seconds = Math.max(10, Math.round(200 * opts.scale));
    const rows: SinkRow[] = [];
    for (let c = 0; c < seconds; c++)
      for (const r of pollCycle('b.n.sink', 1000, T0 + c * SECOND, c)) rows.push({ ...r });

    opts.log(`postgres: plain COPY of ${rows.length.toLocaleString('en-US')} rows (the floor)`);
    const floor = rows.length / (await copyFloor(cluster.connectionString, rows));

    opts.log(`postgres: the same rows through the postgres sink`);
    const sink = createSink(
      postgresSink,
      {
        id: 'bench-pg',
        connectionString: cluster.connectionString,
        schema: SCHEMA,
        batch: { maxRows: 20_000, maxDelayMs: 5 },
        queue: { memoryRows: rows.length + 1 },
      },
      { logger: silentLogger(), clock: systemClock, dataDir },
    );
    let sinkSeconds: number;
    try {
      sinkSeconds = await timed(async () => {
        for (let i = 0; i < rows.length; i += 10_000) await sink.write(rows.slice(i, i + 10_000));
        await sink.flush();
      });
      const m = sink.metrics();
      if (m.success !== rows.length) throw new Error(`sink delivered ${m.success} of ${rows.length} rows`);
    } finally {
      await sink.close();
    }
    results.push(
      result({
        name: 'pg-sink',
        unit: 'rows/s',
        ours: rows.length / sinkSeconds,
        peer: { label: `COPY into a bare table, ${version}`, value: floor },
        target: { kind: 'ours', better: 'higher', bound: 100_000 },
        note: `${rows.length.toLocaleString('en-US')} samples of 1,000 points, batches of 20,000; ours also upserts on (point, ts), 1m/1h rollups and latest`,
      }),
    );

    const store = await createPostgresStore({ connectionString: cluster.connectionString, schema: SCHEMA });
    try {
      opts.log('postgres: seeding 30,000 points, a day of 1-s samples and a year of hourly rollups');
      await seedQueries(store);
      await seedTrend(cluster.connectionString);
      results.push(
        ...queryResults('-pg', await latest30k(store), await series1d(store), await trend1y(store)),
      );
      const inDb = await medianMs(async () => {
        const d = await store.downsample(DAY_POINT, { from: T0, to: T0 + DAY - 1, points: 1000 });
        if (d.length === 0 || d.length > 1000) throw new Error(`downsample returned ${d.length} points`);
      });
      results.push(
        result({
          name: 'series-1d-pg-db',
          unit: 'ms',
          ours: inDb,
          target: { kind: 'ours', better: 'lower', bound: 50 },
          note: 'the same day downsampled (min/max) to ≤1,000 points inside PostgreSQL (PostgresStore.downsample), median of 5',
        }),
      );
    } finally {
      await store.close();
    }
    const { bytes, samples } = await storedBytes(cluster.connectionString);
    results.push(
      result({
        name: 'bytes-per-sample-pg',
        unit: 'B',
        ours: bytes / samples,
        target: { kind: 'none' },
        note: `all tables and indexes of the schema incl. rollups and latest, ${samples.toLocaleString('en-US')} samples`,
      }),
    );
  } finally {
    await cluster.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

async function withClient<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (db) => {
    const r = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${(r.rows[0]?.v ?? '?').split(' ')[0]}`;
  });
}

/** Seconds to COPY `rows` into a bare table (text point, bigint ts, float8 value, text quality), in one stream. */
async function copyFloor(url: string, rows: readonly SinkRow[]): Promise<number> {
  return withClient(url, async (db) => {
    await db.query('CREATE TABLE floor (point text, ts bigint, value double precision, quality text)');
    return timed(async () => {
      function* lines(): Generator<string> {
        let buf = '';
        for (const r of rows) {
          buf += `${r['point'] as string}\t${r['ts'] as number}\t${r['value'] as number}\t${r['quality'] as string}\n`;
          if (buf.length > 256 * 1024) {
            yield buf;
            buf = '';
          }
        }
        yield buf;
      }
      await pipeline(Readable.from(lines()), db.query(copyFrom('COPY floor FROM STDIN')));
    });
  });
}

/** A year of hourly buckets straight into the rollup table, as years of writes would leave it. */
async function seedTrend(url: string): Promise<void> {
  await withClient(url, async (db) => {
    await db.query(
      `INSERT INTO ${SCHEMA}.rollup_1h (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
       SELECT p.id, b, 3600, 0, 3600, a * 3600, a - 5, a + 5, b + $3 - 1000, a, NULL, 0
         FROM ${SCHEMA}.points p,
              LATERAL (SELECT $1::bigint + h * $3::bigint AS b, 50 + 20 * sin(h / 24.0) AS a
                         FROM generate_series(0, 8759) h) g
        WHERE p.key = $2
       ON CONFLICT (point_id, bucket) DO NOTHING`,
      [TREND_FROM, TREND_POINT, HOUR],
    );
    await db.query('ANALYZE');
  });
}

async function storedBytes(url: string): Promise<{ bytes: number; samples: number }> {
  return withClient(url, async (db) => {
    const size = await db.query<{ bytes: string }>(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [SCHEMA],
    );
    const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${SCHEMA}.samples`);
    return { bytes: Number(size.rows[0]?.bytes ?? 0), samples: Number(count.rows[0]?.n ?? 0) };
  });
}
