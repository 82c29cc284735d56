import type { Sample } from '@watershed/model';
import { WaterErrors } from './errors.js';
import { defaultMaxHold, heldIntervals, median, ordered } from './series.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

/** A flow profile: the time-weighted mean of each bucket, m³/h; null where the data does not cover it. */
export interface FlowProfile {
  from: number;
  resolutionMs: number;
  means: (number | null)[];
}

export interface FlowProfileOptions {
  /** Bucket width, ms; default one minute. */
  resolutionMs?: number;
  /** How long a reading holds; default three typical sample spacings of each series. */
  maxHoldMs?: number;
}

/**
 * The summed flow of several meters (a district's inlets) in buckets over [from, to). A bucket is
 * known when every series covers at least half of it: an inlet missing from the sum would read as
 * a drop in demand, which is exactly what a leak analysis must not see.
 */
export function flowProfile(
  series: readonly (readonly Sample[])[],
  from: number,
  to: number,
  opts: FlowProfileOptions = {},
): FlowProfile {
  const res = opts.resolutionMs ?? MINUTE_MS;
  if (!(res > 0)) throw WaterErrors.BAD_OPTION.create(['resolutionMs', String(res)]);
  const n = Math.ceil((to - from) / res);
  const total = new Float64Array(n);
  const known = new Uint8Array(n).fill(series.length > 0 ? 1 : 0);
  for (const raw of series) {
    const samples = ordered(raw);
    const integral = new Float64Array(n);
    const covered = new Float64Array(n);
    for (const h of heldIntervals(
      samples,
      from,
      to,
      opts.maxHoldMs ?? defaultMaxHold(samples, 5 * MINUTE_MS),
    )) {
      for (let b = Math.floor((h.start - from) / res); b < n && from + b * res < h.end; b++) {
        const lo = Math.max(h.start, from + b * res);
        const hi = Math.min(h.end, from + (b + 1) * res);
        if (hi <= lo) continue;
        integral[b]! += h.value * (hi - lo);
        covered[b]! += hi - lo;
      }
    }
    for (let b = 0; b < n; b++) {
      const width = Math.min(res, to - (from + b * res));
      if (covered[b]! * 2 < width) known[b] = 0;
      else total[b]! += integral[b]! / covered[b]!;
    }
  }
  const means: (number | null)[] = new Array<number | null>(n);
  for (let b = 0; b < n; b++) means[b] = known[b] ? total[b]! : null;
  return { from, resolutionMs: res, means };
}

/** Volume (m³) and coverage of a flow profile over [from, to), buckets aligned to the profile. */
export function profileVolume(
  p: FlowProfile,
  from: number,
  to: number,
): { volumeM3: number; coveredMs: number } {
  let volumeM3 = 0;
  let coveredMs = 0;
  const first = Math.max(0, Math.floor((from - p.from) / p.resolutionMs));
  for (let b = first; b < p.means.length; b++) {
    const lo = Math.max(from, p.from + b * p.resolutionMs);
    const hi = Math.min(to, p.from + (b + 1) * p.resolutionMs);
    if (lo >= to) break;
    const m = p.means[b];
    if (m === null || m === undefined || hi <= lo) continue;
    volumeM3 += (m * (hi - lo)) / HOUR_MS;
    coveredMs += hi - lo;
  }
  return { volumeM3, coveredMs };
}

/** The minimum night flow of one night: the lowest rolling mean and when its window started. */
export interface NightFlow {
  mnfM3h: number;
  /** Start of the rolling window whose mean is the minimum. */
  at: number;
}

/**
 * The minimum night flow in [windowStart, windowEnd): the lowest mean over any `rollingMs` stretch
 * of fully known buckets inside the window. The night window is when legitimate use is lowest
 * (customarily 02:00–04:00 local; IWA Water Loss Task Force, Farley & Trow 2003, ch. 6 on MNF
 * analysis), and a rolling mean rather than one reading keeps a single low sample — or a meter's
 * noise — from being taken for the district's night flow. Null when no window is fully known.
 */
export function minimumNightFlow(
  p: FlowProfile,
  windowStart: number,
  windowEnd: number,
  rollingMs: number,
): NightFlow | null {
  const k = Math.max(1, Math.round(rollingMs / p.resolutionMs));
  const first = Math.max(0, Math.ceil((windowStart - p.from) / p.resolutionMs));
  const end = Math.min(p.means.length, Math.floor((windowEnd - p.from) / p.resolutionMs));
  let best: NightFlow | null = null;
  // O(window × k): a night is ~120 buckets of 15, so clarity wins over a running sum.
  windows: for (let start = first; start + k <= end; start++) {
    let sum = 0;
    for (let b = start; b < start + k; b++) {
      const m = p.means[b];
      if (m === null || m === undefined) continue windows;
      sum += m;
    }
    const mean = sum / k;
    if (!best || mean < best.mnfM3h) best = { mnfM3h: mean, at: p.from + start * p.resolutionMs };
  }
  return best;
}

export interface LeakRule {
  /** Previous nights the baseline is the median of; default 7. */
  baselineNights?: number;
  /** Fewer known previous nights than this: no baseline, no flag; default 3. */
  minBaselineNights?: number;
  /** A rise of more than this is a leak, m³/h; default 0.5. */
  thresholdM3h?: number;
  /** …and of more than this share of the baseline, %; default 10. The larger of the two applies. */
  thresholdPct?: number;
}

export interface LeakVerdict {
  baselineM3h: number | null;
  riseM3h: number | null;
  leak: boolean;
}

/**
 * Flags nights whose MNF rose above the district's normal: the median MNF of the previous
 * `baselineNights` unflagged nights. A burst or new leak adds its outflow to the night flow
 * while legitimate night use barely changes, so the rise is the leak's size (Farley & Trow 2003,
 * ch. 6). Flagged nights stay out of the baseline, so a leak stays flagged until it is repaired
 * instead of becoming the new normal after a few nights; the median shrugs off one odd night.
 */
export function flagLeaks(mnf: readonly (number | null)[], rule: LeakRule = {}): LeakVerdict[] {
  const n = rule.baselineNights ?? 7;
  const minN = rule.minBaselineNights ?? 3;
  const abs = rule.thresholdM3h ?? 0.5;
  const pct = rule.thresholdPct ?? 10;
  const normal: number[] = [];
  return mnf.map((m) => {
    const recent = normal.slice(-n);
    const baseline = recent.length >= minN ? median(recent) : null;
    if (m === null) return { baselineM3h: baseline, riseM3h: null, leak: false };
    const rise = baseline === null ? null : m - baseline;
    const leak = baseline !== null && rise !== null && rise > Math.max(abs, (Math.abs(baseline) * pct) / 100);
    if (!leak) normal.push(m);
    return { baselineM3h: baseline, riseM3h: rise, leak };
  });
}
