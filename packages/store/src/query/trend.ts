import type { DownsampleMethod, TrendPoint } from '../types.js';
import { selectLttb, selectMinMax } from './select.js';

/** A numeric series as parallel arrays, ascending ts, `length` entries used. */
export interface NumericSeries {
  ts: ArrayLike<number>;
  value: ArrayLike<number>;
  length: number;
}

export interface TrendOptions {
  from: number;
  to: number;
  points: number;
  method: DownsampleMethod;
  /** When given, the longest stretch without data still drawn as a line. */
  maxGapMs?: number;
  /** Spacing the source guarantees between neighbours (a rollup tier's width); 0 for raw. */
  stepMs: number;
}

/**
 * The default longest stretch drawn as a line: one output column, or the source's own step
 * (adjacent rollup buckets are not a gap), or twice the mean spacing of the data (a point polled
 * every 5 min over an hour is a line, not dots), whichever is longest.
 */
export function defaultMaxGap(
  series: NumericSeries,
  o: Pick<TrendOptions, 'from' | 'to' | 'points' | 'stepMs'>,
): number {
  const column = (o.to - o.from + 1) / o.points;
  const n = series.length;
  const mean = n > 1 ? ((series.ts[n - 1] as number) - (series.ts[0] as number)) / (n - 1) : 0;
  return Math.max(column, o.stepMs, 2 * mean);
}

/**
 * At most `points` points of `series` for a chart, with a `null` point after each stretch
 * without data longer than the maximum gap: the series is split at its gaps and each piece is
 * given a share of the budget (two points each, the rest by sample count) and selected on its
 * own, so the selection never draws a line across a gap. When there are more gaps than
 * points ÷ 2, only the longest points ÷ 2 − 1 are kept as gaps (the budget could not show more).
 */
export function buildTrend(series: NumericSeries, o: TrendOptions): TrendPoint[] {
  const n = series.length;
  if (n === 0) return [];
  const { ts, value } = series;
  const maxGap = o.maxGapMs ?? defaultMaxGap(series, o);
  const cuts = gapCuts(ts, n, maxGap, Math.max(0, Math.floor(o.points / 2) - 1));
  // Segment k is [bounds[k], bounds[k + 1]).
  const bounds = [0, ...cuts, n];
  const segments = bounds.length - 1;
  let reserved = 0;
  for (let k = 0; k < segments; k++)
    reserved += Math.min(2, (bounds[k + 1] as number) - (bounds[k] as number));
  const spare = Math.max(0, o.points - reserved);
  const select = o.method === 'lttb' ? selectLttb : selectMinMax;
  const out: TrendPoint[] = [];
  const picked: number[] = [];
  for (let k = 0; k < segments; k++) {
    const start = bounds[k] as number;
    const end = bounds[k + 1] as number;
    const len = end - start;
    const budget = Math.min(2, len) + Math.floor((spare * Math.max(0, len - 2)) / Math.max(1, n - reserved));
    picked.length = 0;
    select(ts, value, start, end, budget, picked);
    for (const i of picked) out.push({ ts: ts[i] as number, value: value[i] as number });
    if (k < segments - 1) out.push({ ts: (ts[end - 1] as number) + 1, value: null });
  }
  return out;
}

/** Indices starting a new piece after a gap longer than `maxGap`; the longest `keep` of them. */
function gapCuts(ts: ArrayLike<number>, n: number, maxGap: number, keep: number): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < n; i++) if ((ts[i] as number) - (ts[i - 1] as number) > maxGap) cuts.push(i);
  if (cuts.length <= keep) return cuts;
  const gap = (i: number): number => (ts[i] as number) - (ts[i - 1] as number);
  return cuts
    .sort((a, b) => gap(b) - gap(a) || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}
