import type { Sample } from '@watershed/model';
import type { SampleRow } from '@watershed/store';
import type { LiveSample } from './schemas.js';

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
