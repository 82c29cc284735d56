import type { Quality, SampleValue } from '@watershed/model';
import type { AggregateBucket } from '../types.js';
import { bucketStart } from '../tiers.js';

/**
 * What one raw sample or one rollup bucket adds to a coarser bucket. Every field folds exactly:
 * counts and sums add, min and max commute, and `last` is the one with the greatest `lastTs`.
 */
export interface Contribution {
  ts: number;
  count: number;
  bad: number;
  numeric: number;
  sum: number;
  min: number | null;
  max: number | null;
  lastTs: number;
  last: SampleValue;
  lastQuality: Quality;
}

interface Open {
  ts: number;
  count: number;
  bad: number;
  numeric: number;
  sum: number;
  min: number | null;
  max: number | null;
  lastTs: number;
  last: SampleValue;
  lastQuality: Quality;
}

/**
 * Folds contributions, fed in ascending `ts`, into buckets of `bucketMs` aligned to the epoch.
 * A bucket nothing contributed to is never produced: gaps stay gaps.
 */
export class BucketFolder {
  readonly #width: number;
  readonly #done: AggregateBucket[] = [];
  #open: Open | undefined;

  constructor(bucketMs: number) {
    this.#width = bucketMs;
  }

  add(c: Contribution): void {
    const b = bucketStart(c.ts, this.#width);
    const o = this.#open;
    if (o === undefined || o.ts !== b) {
      if (o !== undefined) this.#done.push(close(o));
      this.#open = { ...c, ts: b };
      return;
    }
    o.count += c.count;
    o.bad += c.bad;
    o.numeric += c.numeric;
    o.sum += c.sum;
    if (c.min !== null && (o.min === null || c.min < o.min)) o.min = c.min;
    if (c.max !== null && (o.max === null || c.max > o.max)) o.max = c.max;
    if (c.lastTs > o.lastTs) {
      o.lastTs = c.lastTs;
      o.last = c.last;
      o.lastQuality = c.lastQuality;
    }
  }

  /** The buckets, ascending; the folder is spent afterwards. */
  finish(): AggregateBucket[] {
    if (this.#open !== undefined) this.#done.push(close(this.#open));
    this.#open = undefined;
    return this.#done;
  }
}

function close(o: Open): AggregateBucket {
  return {
    ts: o.ts,
    count: o.count,
    bad: o.bad,
    numeric: o.numeric,
    min: o.min,
    max: o.max,
    avg: o.numeric > 0 ? o.sum / o.numeric : null,
    last: o.last,
    lastTs: o.lastTs,
    lastQuality: o.lastQuality,
  };
}
