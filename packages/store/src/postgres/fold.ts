import type { RollupTier } from '../types.js';
import { TIER_WIDTH } from '../tiers.js';

/** One encoded sample of a batch, as the writer stages it (codec of `embedded/codec.ts`). */
export interface StagedSample {
  pid: number;
  ts: number;
  num: number | null;
  txt: string | null;
  q: number;
  reason: string | null;
}

/** The rollup columns of one (point, bucket), in the order of the rollup tables. */
export interface BucketFold {
  pid: number;
  bucket: number;
  count: number;
  bad: number;
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  lastTs: number;
  lastNum: number | null;
  lastTxt: string | null;
  lastQ: number;
}

const QUALITY_BAD = 2;
const KIND_BOOLEAN = 1;

/**
 * The value a rollup aggregates, exactly as the SQL of `rollups.ts` (NUMERIC) has it: numbers
 * and booleans of samples not bad; NULL and NaN left out.
 */
function aggregated(s: StagedSample): number | null {
  if (s.q >> 2 > KIND_BOOLEAN || (s.q & 3) === QUALITY_BAD) return null;
  const v = s.num;
  return v === null || Number.isNaN(v) ? null : v;
}

/**
 * Per-(point, bucket) contributions of a batch to one tier, computed in the client: a batch of
 * 20,000 samples of 1,000 points spans ~1,000 buckets, so the database merges ~1,000 pre-folded
 * rows instead of grouping and sorting 20,000 (the GROUP BY with ordered `array_agg` for `last`
 * was most of the write's server time). Only valid for samples known to be new at their
 * (point, ts) — see `SampleWriter` — since a fold adds to the sums. `(point, ts)` must be unique
 * in `samples` (the writer de-duplicates first), so `last` has no ties.
 */
export function foldBatch(samples: Iterable<StagedSample>, tier: RollupTier): BucketFold[] {
  const width = TIER_WIDTH[tier];
  const byPoint = new Map<number, Map<number, BucketFold>>();
  for (const s of samples) {
    // Floor toward -∞ like bucketStart(): % truncates toward zero for negative ts.
    const bucket = s.ts - (((s.ts % width) + width) % width);
    let buckets = byPoint.get(s.pid);
    if (!buckets) byPoint.set(s.pid, (buckets = new Map<number, BucketFold>()));
    let f = buckets.get(bucket);
    if (!f) {
      f = {
        pid: s.pid,
        bucket,
        count: 0,
        bad: 0,
        n: 0,
        sum: 0,
        min: null,
        max: null,
        lastTs: s.ts,
        lastNum: s.num,
        lastTxt: s.txt,
        lastQ: s.q,
      };
      buckets.set(bucket, f);
    }
    f.count++;
    if ((s.q & 3) === QUALITY_BAD) f.bad++;
    const x = aggregated(s);
    if (x !== null) {
      f.n++;
      f.sum += x;
      f.min = f.min === null || x < f.min ? x : f.min;
      f.max = f.max === null || x > f.max ? x : f.max;
    }
    if (s.ts > f.lastTs) {
      f.lastTs = s.ts;
      f.lastNum = s.num;
      f.lastTxt = s.txt;
      f.lastQ = s.q;
    }
  }
  const out: BucketFold[] = [];
  for (const buckets of byPoint.values()) for (const f of buckets.values()) out.push(f);
  return out;
}

/** The newest sample of each point in the batch: what `latest` may move to. */
export function newestPerPoint(samples: Iterable<StagedSample>): StagedSample[] {
  const newest = new Map<number, StagedSample>();
  for (const s of samples) {
    const cur = newest.get(s.pid);
    if (!cur || s.ts > cur.ts) newest.set(s.pid, s);
  }
  return [...newest.values()];
}
