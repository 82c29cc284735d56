import type { Quality, Sample, SampleValue } from '@watershed/model';
import type { Rollup } from '../api/series.js';
import { resolutionMs, type Resolution } from './explorer-state.js';

/** The server tier a resolution is read from (console-api `/series` knows raw, 1m and 1h). */
export function serverBucket(r: Resolution): 'raw' | '1m' | '1h' {
  if (r === 'raw') return 'raw';
  return r === '1m' || r === '15m' ? '1m' : '1h';
}

/** One point's history at one resolution, as fetched: raw samples, or rollup buckets. */
export type ExplorerSeries =
  | { id: string; resolution: 'raw'; samples: Sample[]; truncated: boolean }
  | { id: string; resolution: Exclude<Resolution, 'raw'>; rollups: Rollup[]; truncated: boolean };

/**
 * Merges rollups into buckets `width` wide, aligned to `offsetMs` (a day in the user's time zone
 * starts at local midnight, not at 00:00 UTC). Counts add up, min/max take the extremes, the mean
 * is weighted by each bucket's numeric samples, and `last` is the latest bucket's.
 */
export function rebucket(rollups: readonly Rollup[], width: number, offsetMs = 0): Rollup[] {
  const out: Rollup[] = [];
  let cur: Rollup | undefined;
  let sum = 0;
  const close = (): void => {
    if (cur === undefined) return;
    cur.avg = cur.numeric > 0 ? sum / cur.numeric : null;
    out.push(cur);
  };
  for (const r of rollups) {
    const start = Math.floor((r.ts + offsetMs) / width) * width - offsetMs;
    if (cur === undefined || cur.ts !== start) {
      close();
      cur = { ...r, ts: start, width };
      sum = r.avg !== null ? r.avg * r.numeric : 0;
      continue;
    }
    cur.count += r.count;
    cur.bad += r.bad;
    cur.numeric += r.numeric;
    if (r.avg !== null) sum += r.avg * r.numeric;
    cur.min = extreme(cur.min, r.min, Math.min);
    cur.max = extreme(cur.max, r.max, Math.max);
    if (r.lastTs >= cur.lastTs) {
      cur.last = r.last;
      cur.lastTs = r.lastTs;
      cur.lastQuality = r.lastQuality;
    }
  }
  close();
  return out;
}

function extreme(a: number | null, b: number | null, f: (x: number, y: number) => number): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return f(a, b);
}

/**
 * One value as the chart and the table show it. For a bucket `value` is the mean (an on/off
 * point's last state: "0.7 running" means nothing), with its min and max beside it.
 */
export interface Row {
  ts: number;
  value: SampleValue;
  min?: number | null;
  max?: number | null;
  quality: Quality;
  reason?: string;
  /** Samples in the bucket, and how many of them were bad. */
  count?: number;
  bad?: number;
}

/**
 * The rows of a series. A bucket with no usable sample is bad (a gap); one where some samples
 * were bad is uncertain, so a mean built on part of the data is never shown as sound.
 */
export function rowsOf(s: ExplorerSeries): Row[] {
  if (s.resolution === 'raw')
    return s.samples.map((x) => ({
      ts: x.ts,
      value: x.value,
      quality: x.quality,
      ...(x.reason !== undefined && { reason: x.reason }),
    }));
  return s.rollups.map((r) => {
    const quality: Quality = r.numeric === 0 ? 'bad' : r.bad > 0 ? 'uncertain' : 'good';
    const value: SampleValue = typeof r.last === 'boolean' ? r.last : r.numeric === 0 ? null : r.avg;
    return { ts: r.ts, value, min: r.min, max: r.max, quality, count: r.count, bad: r.bad };
  });
}

/** A value on a chart's y-axis: numbers as they are, on/off as 1/0, text and gaps as null. */
export function plotValue(v: SampleValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Rows the server's 1m/1h tier holds for a window, so the read limit is never the reason for a gap. */
export function rollupLimit(resolution: Exclude<Resolution, 'raw'>, from: number, to: number): number {
  const tier = serverBucket(resolution) === '1m' ? 60_000 : 3_600_000;
  return Math.min(100_000, Math.ceil((to - from) / tier) + 2);
}

/** The width rollups are merged to, or undefined when the server's tier is already it. */
export function mergeWidth(resolution: Exclude<Resolution, 'raw'>): number | undefined {
  return resolution === '15m' || resolution === '1d' ? resolutionMs(resolution) : undefined;
}

/**
 * One table line per instant across the series: the time, and each series' row at it (or none).
 * Ascending by time; instants from different series are joined only when equal, so nothing is
 * shown at a time it was not measured.
 */
export function tableRows(
  series: readonly ExplorerSeries[],
): { ts: number; cells: ReadonlyMap<string, Row> }[] {
  const byTs = new Map<number, Map<string, Row>>();
  for (const s of series) {
    for (const row of rowsOf(s)) {
      let cells = byTs.get(row.ts);
      if (cells === undefined) byTs.set(row.ts, (cells = new Map<string, Row>()));
      cells.set(s.id, row);
    }
  }
  return [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([ts, cells]) => ({ ts, cells }));
}
