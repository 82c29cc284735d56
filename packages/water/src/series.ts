import type { Sample } from '@watershed/model';

/** A numeric reading: the part of a sample the analyses compute with. */
export interface Reading {
  ts: number;
  value: number;
}

/**
 * The measurement a sample carries, or undefined: bad quality is the source saying "do not trust
 * this" (OPC UA Part 8 §6.3.2 StatusCode Bad), and a non-numeric value is not a measurement.
 * Uncertain samples count; callers that must tell them apart look at `quality` themselves.
 */
export function measurement(sample: Sample): number | undefined {
  if (sample.quality === 'bad') return undefined;
  return typeof sample.value === 'number' && Number.isFinite(sample.value) ? sample.value : undefined;
}

/** The samples in ascending ts, one per ts (the last given wins, as the store does). */
export function ordered(samples: readonly Sample[]): Sample[] {
  let sorted = true;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.ts <= samples[i - 1]!.ts) {
      sorted = false;
      break;
    }
  }
  if (sorted) return [...samples];
  const byTs = new Map<number, Sample>();
  for (const s of samples) byTs.set(s.ts, s);
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** The median spacing of the samples' timestamps; undefined with fewer than two. */
export function medianSpacing(samples: readonly { ts: number }[]): number | undefined {
  if (samples.length < 2) return undefined;
  const gaps: number[] = [];
  for (let i = 1; i < samples.length; i++) gaps.push(samples[i]!.ts - samples[i - 1]!.ts);
  return median(gaps);
}

/** The median of the values (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * One held value of a step-wise signal: a reading stands for the process from its ts until the
 * next sample, but no longer than `maxHoldMs` (a longer silence is a gap, not a flat line), and a
 * bad sample ends it (the source has said it no longer knows the value).
 */
export interface HeldInterval {
  start: number;
  end: number;
  value: number;
  /** The sample the value comes from. */
  ts: number;
}

/**
 * The held intervals of a series clipped to [from, to): the sample-and-hold reading of a
 * sampled signal that SCADA historians use for time-weighted averages (OPC UA Part 13 §5.4.3.4
 * TimeAverage with stepped interpolation). Readings before `from` carry into the range.
 */
export function heldIntervals(
  samples: readonly Sample[],
  from: number,
  to: number,
  maxHoldMs: number,
): HeldInterval[] {
  const out: HeldInterval[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.ts >= to) break;
    const v = measurement(s);
    if (v === undefined) continue;
    const next = samples[i + 1];
    const end = Math.min(next ? next.ts : Number.POSITIVE_INFINITY, s.ts + maxHoldMs, to);
    const start = Math.max(s.ts, from);
    if (end > start) out.push({ start, end, value: v, ts: s.ts });
  }
  return out;
}

/**
 * How long a reading is taken to hold when the caller does not say: three typical sample
 * spacings, so one or two lost samples are bridged and a real outage is a gap.
 */
export function defaultMaxHold(samples: readonly Sample[], fallbackMs: number): number {
  const spacing = medianSpacing(samples);
  return spacing !== undefined && spacing > 0 ? 3 * spacing : fallbackMs;
}
