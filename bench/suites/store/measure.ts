import type { SampleRow, Store } from '@watershed/store';
import { downsampleMinMax } from './downsample.js';

export const SECOND = 1000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2026-10-01T00:00Z: the benchmark's data starts here. */
export const T0 = Date.UTC(2026, 9, 1);

/** Seconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/** Median milliseconds of `runs` calls of `fn`, after one warm-up call. */
export async function medianMs(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)) * 1000);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** A poll cycle: one sample of each of `points` points at `ts`. */
export function pollCycle(prefix: string, points: number, ts: number, cycle: number): SampleRow[] {
  const rows: SampleRow[] = new Array<SampleRow>(points);
  for (let p = 0; p < points; p++) {
    rows[p] = { point: `${prefix}.p${p}`, ts, value: ((p * 31 + cycle * 7) % 1000) / 10, quality: 'good' };
  }
  return rows;
}

/** Writes `seconds` cycles of `points` points, `perCall` cycles per writeSamples call; returns rows. */
export async function ingest(
  store: Store,
  prefix: string,
  points: number,
  seconds: number,
  perCall: number,
): Promise<number> {
  let rows = 0;
  for (let s = 0; s < seconds; s += perCall) {
    const batch: SampleRow[] = [];
    for (let c = s; c < Math.min(seconds, s + perCall); c++) {
      for (const r of pollCycle(prefix, points, T0 + c * SECOND, c)) batch.push(r);
    }
    rows += batch.length;
    await store.writeSamples(batch);
  }
  return rows;
}

export const LATEST_POINTS = 30_000;
export const DAY_POINT = 'b.n.day.flow';
export const TREND_POINT = 'b.n.trend.flow';

/** 30,000 points with one sample each, and one point with a day of 1-s samples. */
export async function seedQueries(store: Store): Promise<number> {
  const latest: SampleRow[] = [];
  for (let p = 0; p < LATEST_POINTS; p++) {
    latest.push({ point: `b.n.latest.p${p}`, ts: T0 + (p % 60) * SECOND, value: p, quality: 'good' });
  }
  for (let i = 0; i < latest.length; i += 10_000) await store.writeSamples(latest.slice(i, i + 10_000));
  let batch: SampleRow[] = [];
  for (let s = 0; s < 86_400; s++) {
    batch.push({
      point: DAY_POINT,
      ts: T0 + s * SECOND,
      value: 50 + 20 * Math.sin(s / 600) + (s % 7),
      quality: 'good',
    });
    if (batch.length === 20_000) {
      await store.writeSamples(batch);
      batch = [];
    }
  }
  await store.writeSamples(batch);
  // The trend point is declared by one sample; its year of hourly rollups is seeded directly.
  await store.writeSamples([{ point: TREND_POINT, ts: T0, value: 1, quality: 'good' }]);
  return LATEST_POINTS + 86_400 + 1;
}

export const latestIds = Array.from({ length: LATEST_POINTS }, (_, p) => `b.n.latest.p${p}`);

/** Latest value of 30,000 named points. */
export async function latest30k(store: Store): Promise<number> {
  return medianMs(async () => {
    const m = await store.latest(latestIds);
    if (m.size !== LATEST_POINTS) throw new Error(`latest returned ${m.size} of ${LATEST_POINTS} points`);
  });
}

/** One day of 1-s samples of one point, read and downsampled to 1,000 points for a trend. */
export async function series1d(store: Store): Promise<number> {
  return medianMs(async () => {
    const rows = await store.series(DAY_POINT, { from: T0, to: T0 + DAY - 1 });
    if (rows.length !== 86_400) throw new Error(`series returned ${rows.length} of 86,400 samples`);
    const ts = new Float64Array(rows.length);
    const values = new Array<number | null>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as SampleRow;
      ts[i] = r.ts;
      values[i] = typeof r.value === 'number' ? r.value : null;
    }
    const d = downsampleMinMax(ts, values, 1000);
    if (d.ts.length > 1000) throw new Error('downsampled to more than 1,000 points');
  });
}

/** A year of hourly buckets ending at T0 (8,760 of them), as the rollup query returns them. */
export const TREND_FROM = T0 - 365 * DAY;

export async function trend1y(store: Store): Promise<number> {
  return medianMs(async () => {
    const rows = await store.rollups(TREND_POINT, { tier: '1h', from: TREND_FROM, to: T0 - 1 });
    if (rows.length !== 8760) throw new Error(`trend returned ${rows.length} of 8,760 hours`);
  });
}
