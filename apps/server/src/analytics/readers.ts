import type { Sample } from '@watershed/model';
import type { AggregateBucket, Store } from '@watershed/store';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Reads for the analyses, from the rollups rather than raw samples: a plant analyser or inlet
 * meter polled every second writes 86 400 samples a day, and a month of them for every point
 * of a district is not something to pull through one request. The rollups are maintained on
 * write and agree with the raw samples (Store.rollups), so what is read here is exact for what
 * it claims to be.
 */

export interface MeanSeries {
  /** One sample per 1-minute bucket at its start: the bucket's mean, or bad when it held no usable value. */
  samples: Sample[];
  /** Samples stored in the buckets, and how many of those were bad. */
  count: number;
  bad: number;
}

/** The 1-minute (or `bucketMs`) means of a point over [from, to]. */
export async function minuteMeans(
  store: Store,
  id: string,
  from: number,
  to: number,
  bucketMs = MINUTE,
): Promise<MeanSeries> {
  const { buckets } = await store.aggregate(id, { from, to, bucketMs });
  let count = 0;
  let bad = 0;
  const samples = buckets.map((b): Sample => {
    count += b.count;
    bad += b.bad;
    return b.avg !== null
      ? { ts: b.ts, value: b.avg, quality: 'good' }
      : { ts: b.ts, value: null, quality: 'bad' };
  });
  return { samples, count, bad };
}

export interface RegisterSeries {
  /** The last usable reading of each hour: enough to telescope volumes, catch resets and jumps. */
  samples: Sample[];
  /** Good readings the meter sent within [from, to]. */
  readings: number;
}

/** A cumulative register thinned to its last good reading per hour, over [from, to]. */
export async function hourlyRegister(
  store: Store,
  id: string,
  from: number,
  to: number,
): Promise<RegisterSeries> {
  const { buckets } = await store.aggregate(id, { from, to, bucketMs: HOUR });
  let readings = 0;
  const samples: Sample[] = [];
  for (const b of buckets) {
    if (b.ts + HOUR > from) readings += b.count - b.bad;
    const last = lastReading(b);
    if (last) samples.push(last);
  }
  return { samples, readings };
}

function lastReading(b: AggregateBucket): Sample | undefined {
  if (b.lastQuality === 'bad' || typeof b.last !== 'number') return undefined;
  return { ts: b.lastTs, value: b.last, quality: b.lastQuality };
}

/** Numbers as numbers and booleans as 0/1 — how a meter's status points may arrive. */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return undefined;
}
