/** Pure figures of the console suite, computed after the run from the recorded timestamps. */
import { quantileSorted } from '../../lib/stats.js';

export interface LoadSummary {
  count: number;
  p50: number;
  max: number;
}

/** p50 and max of the cold first loads (ms); NaN when none completed. */
export function summarizeLoads(loadsMs: readonly number[]): LoadSummary {
  const sorted = [...loadsMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export interface RefreshSummary {
  /** Intervals measured, over all watched cells. */
  count: number;
  /** Cells whose text changed at least twice (one interval). */
  cells: number;
  mean: number;
  p95: number;
  max: number;
}

/**
 * Intervals between consecutive changes of each watched value cell, pooled over the cells.
 * Each cell's list holds the page's `performance.now()` of every change of its text; the
 * first change only starts that cell's clock, so a cell that changed once adds nothing.
 */
export function summarizeRefresh(changesByCell: readonly (readonly number[])[]): RefreshSummary {
  const intervals: number[] = [];
  let cells = 0;
  for (const changes of changesByCell) {
    if (changes.length < 2) continue;
    cells++;
    const sorted = [...changes].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) intervals.push(sorted[i]! - sorted[i - 1]!);
  }
  intervals.sort((a, b) => a - b);
  const sum = intervals.reduce((s, v) => s + v, 0);
  return {
    count: intervals.length,
    cells,
    mean: intervals.length ? sum / intervals.length : Number.NaN,
    p95: quantileSorted(intervals, 0.95),
    max: intervals.length ? intervals[intervals.length - 1]! : Number.NaN,
  };
}
