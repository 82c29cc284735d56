import type { Sample } from '@watershed/model';
import type { Rollup } from './schemas.js';

/**
 * Reduces samples to at most `maxPoints` for a chart while keeping its extremes: [from, to] is
 * cut into maxPoints/2 equal time slices and each slice keeps its lowest and highest numeric
 * sample (booleans as 0/1), in time order, or its first sample when it holds no numeric one.
 * Spikes therefore survive however far the series is reduced, which averaging would flatten.
 * `rows` must be in ascending ts.
 */
export function downsampleSamples(
  rows: readonly Sample[],
  from: number,
  to: number,
  maxPoints: number,
): Sample[] {
  if (rows.length <= maxPoints) return [...rows];
  const slices = Math.max(1, Math.floor(maxPoints / 2));
  const width = Math.max(1, Math.ceil((to - from + 1) / slices));
  const out: Sample[] = [];
  let slice = Number.NaN;
  let first: Sample | undefined;
  let lo: Sample | undefined;
  let hi: Sample | undefined;
  const emit = (): void => {
    if (lo && hi) {
      if (lo === hi) out.push(lo);
      else if (lo.ts < hi.ts) out.push(lo, hi);
      else out.push(hi, lo);
    } else if (first) out.push(first);
  };
  for (const row of rows) {
    const s = Math.floor((row.ts - from) / width);
    if (s !== slice) {
      emit();
      slice = s;
      first = row;
      lo = hi = undefined;
    }
    const v = numeric(row);
    if (v === undefined) continue;
    if (!lo || v < (numeric(lo) as number)) lo = row;
    if (!hi || v > (numeric(hi) as number)) hi = row;
  }
  emit();
  return out;
}

function numeric(s: Sample): number | undefined {
  if (s.quality === 'bad') return undefined;
  if (typeof s.value === 'number') return Number.isNaN(s.value) ? undefined : s.value;
  if (typeof s.value === 'boolean') return s.value ? 1 : 0;
  return undefined;
}

/**
 * Merges rollup buckets into at most about `maxPoints` wider, aligned buckets: counts add up,
 * min and max take the extremes, avg is weighted by the numeric count, last is the newest.
 */
export function mergeRollups(rows: readonly Rollup[], from: number, to: number, maxPoints: number): Rollup[] {
  const first = rows[0];
  if (!first || rows.length <= maxPoints) return [...rows];
  const base = first.width;
  const width = base * Math.max(1, Math.ceil((to - from + 1) / (maxPoints * base)));
  const out: Rollup[] = [];
  let cur: (Rollup & { sum: number }) | undefined;
  for (const r of rows) {
    const start = r.ts - (((r.ts % width) + width) % width);
    if (!cur || cur.ts !== start) {
      if (cur) out.push(finish(cur));
      cur = { ...r, ts: start, width, sum: (r.avg ?? 0) * r.numeric };
      continue;
    }
    cur.count += r.count;
    cur.bad += r.bad;
    cur.numeric += r.numeric;
    cur.sum += (r.avg ?? 0) * r.numeric;
    if (r.min !== null && (cur.min === null || r.min < cur.min)) cur.min = r.min;
    if (r.max !== null && (cur.max === null || r.max > cur.max)) cur.max = r.max;
    if (r.lastTs > cur.lastTs) {
      cur.last = r.last;
      cur.lastTs = r.lastTs;
      cur.lastQuality = r.lastQuality;
    }
  }
  if (cur) out.push(finish(cur));
  return out;
}

function finish(r: Rollup & { sum: number }): Rollup {
  const { sum, ...rest } = r;
  return { ...rest, avg: rest.numeric > 0 ? sum / rest.numeric : null };
}
