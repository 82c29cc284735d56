import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, openEmbeddedStore, type EmbeddedStore } from '@watershed/store';
import { result, type BenchResult } from '../../lib/report.js';
import {
  DAY,
  DAY_POINT,
  HOUR,
  ingest,
  medianMs,
  latest30k,
  seedQueries,
  series1d,
  timed,
  trend1y,
  TREND_FROM,
  TREND_POINT,
  T0,
} from './measure.js';

export interface PartOptions {
  scale: number;
  log: (line: string) => void;
}

/** The embedded (SQLite) adapter: batched ingest, the three reads, and bytes on disk per sample. */
export async function embeddedPart(opts: PartOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ws-bench-store-'));
  const results: BenchResult[] = [];
  try {
    const store = await openEmbeddedStore({ dir, maxBatch: 20_000, flushIntervalMs: 5 });
    let rows = 0;
    try {
      const seconds = Math.max(10, Math.round(300 * opts.scale));
      opts.log(`embedded: ingest 1,000 points × ${seconds} s in calls of 10,000 rows`);
      let written = 0;
      const s = await timed(async () => {
        written = await ingest(store, 'b.n.poll', 1000, seconds, 10);
      });
      rows += written;
      results.push(
        result({
          name: 'embedded-ingest',
          unit: 'samples/s',
          ours: written / s,
          target: { kind: 'ours', better: 'higher', bound: 300_000 },
          note: `${written.toLocaleString('en-US')} samples, 1,000 points, rollups maintained`,
        }),
      );
      opts.log('embedded: seeding 30,000 points, a day of 1-s samples and a year of hourly rollups');
      rows += await seedQueries(store);
      seedTrend(join(dir, DATABASE_FILE));
      results.push(...queryResults('', await latest30k(store), await series1d(store), await trend1y(store)));
      results.push(...(await trendResults(store)));
    } finally {
      await store.close();
    }
    const bytes = statSync(join(dir, DATABASE_FILE)).size;
    results.push(
      result({
        name: 'bytes-per-sample',
        unit: 'B',
        ours: bytes / rows,
        target: { kind: 'ours', better: 'lower', bound: 64 },
        note: `SQLite file incl. 1m/1h rollups, latest and indexes, ${rows.toLocaleString('en-US')} samples`,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** A year of hourly buckets straight into the rollup table, as years of writes would leave it. */
function seedTrend(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const id = (db.prepare('SELECT id FROM points WHERE key = ?').get(TREND_POINT) as { id: number }).id;
    const insert = db.prepare(
      `INSERT OR REPLACE INTO rollup_1h (point_id, bucket, count, bad, n, sum, min, max, last_ts, last_num, last_txt, last_q)
       VALUES (?, ?, 3600, 0, 3600, ?, ?, ?, ?, ?, NULL, 0)`,
    );
    db.transaction(() => {
      for (let h = 0; h < 8760; h++) {
        const b = TREND_FROM + h * HOUR;
        const avg = 50 + 20 * Math.sin(h / 24);
        insert.run(id, b, avg * 3600, avg - 5, avg + 5, b + HOUR - 1000, avg);
      }
    })();
  } finally {
    db.close();
  }
}

/**
 * The chart query (Store.trend) over the series-1d day: once forced to the raw samples (the same
 * 86,400 rows and ≤1,000-point min/max output as series-1d, computed inside the store), once
 * with the tier the store picks for the range (the 1-minute rollups).
 */
async function trendResults(store: EmbeddedStore): Promise<BenchResult[]> {
  const day = { from: T0, to: T0 + DAY - 1, points: 1000 };
  const check = (points: number, tier: string, want: string): void => {
    if (points > 1000 || points < 500) throw new Error(`trend returned ${points} points`);
    if (tier !== want) throw new Error(`trend read tier ${tier}, not ${want}`);
  };
  const raw = await medianMs(async () => {
    const t = await store.trend(DAY_POINT, { ...day, tier: 'raw' });
    check(t.points.length, t.tier, 'raw');
  });
  const picked = await medianMs(async () => {
    const t = await store.trend(DAY_POINT, day);
    check(t.points.length, t.tier, '1m');
  });
  return [
    result({
      name: 'trend-1d-raw',
      unit: 'ms',
      ours: raw,
      target: { kind: 'ours', better: 'lower', bound: 50 },
      note: 'as series-1d, inside the store: Store.trend, tier raw forced, min/max to ≤1,000 points, median of 5',
    }),
    result({
      name: 'trend-1d',
      unit: 'ms',
      ours: picked,
      target: { kind: 'ours', better: 'lower', bound: 50 },
      note: 'the same day via Store.trend, tier picked for the range (1-minute rollups), median of 5',
    }),
  ];
}

/** The three read results; `suffix` tells the adapter apart ('' for the embedded default). */
export function queryResults(
  suffix: string,
  latestMs: number,
  seriesMs: number,
  trendMs: number,
): BenchResult[] {
  return [
    result({
      name: `latest-30k${suffix}`,
      unit: 'ms',
      ours: latestMs,
      target: { kind: 'ours', better: 'lower', bound: 50 },
      note: 'latest value of 30,000 named points, median of 5',
    }),
    result({
      name: `series-1d${suffix}`,
      unit: 'ms',
      ours: seriesMs,
      target: { kind: 'ours', better: 'lower', bound: 50 },
      note: '86,400 1-s samples of one point read and downsampled (min/max) to ≤1,000 points, median of 5',
    }),
    result({
      name: `trend-1y${suffix}`,
      unit: 'ms',
      ours: trendMs,
      target: { kind: 'ours', better: 'lower', bound: 200 },
      note: '8,760 hourly rollups of one point, median of 5',
    }),
  ];
}
