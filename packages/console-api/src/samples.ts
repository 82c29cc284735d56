import type { Sample } from '@watershed/model';
import { TIER_WIDTH, type RollupRow, type SampleRow } from '@watershed/store';
import type { LiveSample, Rollup } from './schemas.js';

/** A stored row as the API's Sample (the point id travels beside it, not inside). */
export function toSample(row: SampleRow): Sample {
  const s: Sample = { ts: row.ts, value: row.value, quality: row.quality };
  if (row.reason !== undefined) s.reason = row.reason;
  return s;
}

export function toLiveSample(row: SampleRow): LiveSample {
  const s: LiveSample = { point: row.point, ts: row.ts, value: row.value, quality: row.quality };
  if (row.reason !== undefined) s.reason = row.reason;
  return s;
}

export function toRollup(row: RollupRow): Rollup {
  return {
    ts: row.ts,
    width: TIER_WIDTH[row.tier],
    count: row.count,
    bad: row.bad,
    numeric: row.numeric,
    min: row.min,
    max: row.max,
    avg: row.avg,
    last: row.last,
    lastTs: row.lastTs,
    lastQuality: row.lastQuality,
  };
}
