import type { Sample } from '@watershed/model';
import { modifiedZ } from './robust.js';
import { measurement, ordered, type Reading } from './series.js';
import { checkRange } from './time.js';
import { WaterErrors } from './errors.js';

export interface DataQualityOptions {
  from: number;
  to: number;
  /** How often the point is meant to report, ms. */
  expectedIntervalMs: number;
  /** A silence longer than this many intervals is a gap; default 2. */
  gapIntervals?: number;
  /** The same value for this many intervals is a stuck sensor; default 12. 0 disables the check. */
  stuckIntervals?: number;
  /** Neighbours on each side a reading is compared with for spikes; default 5. */
  spikeHalfWindow?: number;
  /** Modified z-score above which a reading is a spike; default 3.5 (Iglewicz & Hoaglin). */
  spikeZ?: number;
  /** What the instrument can physically read; outside it a value is not a measurement. */
  physicalMin?: number;
  physicalMax?: number;
  /** Most readings returned per list (gaps, spikes, …); counts are always complete. Default 100. */
  listLimit?: number;
}

export interface Gap {
  from: number;
  to: number;
  /** Readings the gap should have held. */
  missing: number;
}

export interface StuckRun {
  from: number;
  to: number;
  value: number;
  /** Report intervals the value stood still for. */
  intervals: number;
  /** Readings in the run, its first included. */
  readings: number;
}

export interface Spike extends Reading {
  z: number;
}

export interface DataQualityReport {
  from: number;
  to: number;
  expected: number;
  received: number;
  /** Readings present against expected, % (≤ 100; duplicates do not make up for gaps). */
  completenessPct: number;
  gaps: Gap[];
  gapCount: number;
  stuck: StuckRun[];
  stuckReadings: number;
  spikes: Spike[];
  spikeCount: number;
  outOfRange: Reading[];
  outOfRangeCount: number;
  bad: number;
  uncertain: number;
  badPct: number;
  /**
   * 0–100: completeness × share of readings that are good, in range, not stuck and not spikes.
   * A point scoring 100 reported every reading it should have, each of them believable.
   */
  score: number;
  /** Short findings for an operator, worst first; empty when the score is 100. */
  issues: string[];
}

/**
 * Data-quality checks of one point's series over [from, to]: the checks a utility's data team
 * runs before a number goes into a report or a model (completeness, flat-lining, spikes,
 * physically impossible values, the source's own bad-quality flags).
 */
export function dataQuality(series: readonly Sample[], opts: DataQualityOptions): DataQualityReport {
  checkRange(opts.from, opts.to);
  const interval = opts.expectedIntervalMs;
  if (!(interval > 0)) throw WaterErrors.BAD_OPTION.create(['expectedIntervalMs', String(interval)]);
  const limit = opts.listLimit ?? 100;
  const samples = ordered(series).filter((s) => s.ts >= opts.from && s.ts <= opts.to);
  const expected = Math.max(1, Math.floor((opts.to - opts.from) / interval) + 1);
  const received = samples.length;

  // Gaps: silences longer than gapIntervals, the range's edges included.
  const gapAfter = (opts.gapIntervals ?? 2) * interval;
  const gaps: Gap[] = [];
  let gapCount = 0;
  const edges = [opts.from - interval, ...samples.map((s) => s.ts), opts.to + interval];
  for (let i = 1; i < edges.length; i++) {
    const span = edges[i]! - edges[i - 1]!;
    if (span <= gapAfter) continue;
    gapCount++;
    const from = Math.max(opts.from, edges[i - 1]! + interval);
    const to = Math.min(opts.to, edges[i]! - interval);
    if (gaps.length < limit) gaps.push({ from, to, missing: Math.round(span / interval) - 1 });
  }

  let bad = 0;
  let uncertain = 0;
  const readings: Reading[] = [];
  const outOfRange: Reading[] = [];
  let outOfRangeCount = 0;
  for (const s of samples) {
    if (s.quality === 'uncertain') uncertain++;
    const v = measurement(s);
    if (v === undefined) {
      bad++;
      continue;
    }
    if (
      (opts.physicalMin !== undefined && v < opts.physicalMin) ||
      (opts.physicalMax !== undefined && v > opts.physicalMax)
    ) {
      outOfRangeCount++;
      if (outOfRange.length < limit) outOfRange.push({ ts: s.ts, value: v });
      continue;
    }
    readings.push({ ts: s.ts, value: v });
  }

  const runs = stuckRuns(readings, interval, opts.stuckIntervals ?? 12);
  const stuck = runs.slice(0, limit);
  const stuckReadings = runs.reduce((a, r) => a + r.readings - 1, 0);
  // A frozen stretch would make its own edges look like spikes; spikes are sought in the rest.
  const live = outside(readings, runs);
  const { spikes, spikeCount } = findSpikes(live, opts.spikeHalfWindow ?? 5, opts.spikeZ ?? 3.5, limit);

  const completeness = Math.min(1, received / expected);
  const usable =
    received > 0 ? Math.max(0, received - bad - outOfRangeCount - stuckReadings - spikeCount) / received : 0;
  const score = Math.round(100 * completeness * usable);
  const issues: string[] = [];
  if (bad > 0) issues.push(`${bad} bad-quality readings`);
  if (outOfRangeCount > 0) issues.push(`${outOfRangeCount} readings outside the physical range`);
  if (completeness < 1) issues.push(`${(100 * completeness).toFixed(1)} % complete, ${gapCount} gaps`);
  if (stuckReadings > 0) issues.push(`value stuck for ${stuckReadings} readings in ${stuck.length} runs`);
  if (spikeCount > 0) issues.push(`${spikeCount} spikes`);
  return {
    from: opts.from,
    to: opts.to,
    expected,
    received,
    completenessPct: 100 * completeness,
    gaps,
    gapCount,
    stuck,
    stuckReadings,
    spikes,
    spikeCount,
    outOfRange,
    outOfRangeCount,
    bad,
    uncertain,
    badPct: received > 0 ? (100 * bad) / received : 0,
    score,
    issues,
  };
}

/**
 * Runs of an unchanged value lasting at least `minIntervals` report intervals. A live analogue
 * signal always carries some noise in its last digit; one that does not is usually a frozen
 * transmitter or a PLC holding its last good value (a classic SCADA failure mode), not a steady
 * process. The readings of a run after its first count as stuck.
 */
function stuckRuns(readings: readonly Reading[], interval: number, minIntervals: number): StuckRun[] {
  const runs: StuckRun[] = [];
  if (minIntervals <= 0) return runs;
  let start = 0;
  for (let i = 1; i <= readings.length; i++) {
    if (i < readings.length && readings[i]!.value === readings[start]!.value) continue;
    const first = readings[start]!;
    const last = readings[i - 1]!;
    const intervals = (last.ts - first.ts) / interval;
    if (intervals >= minIntervals)
      runs.push({ from: first.ts, to: last.ts, value: first.value, intervals, readings: i - start });
    start = i;
  }
  return runs;
}

/** The readings outside every run; both are in ascending time. */
function outside(readings: readonly Reading[], runs: readonly { from: number; to: number }[]): Reading[] {
  if (runs.length === 0) return [...readings];
  const out: Reading[] = [];
  let k = 0;
  for (const r of readings) {
    while (k < runs.length && runs[k]!.to < r.ts) k++;
    const run = runs[k];
    if (!run || r.ts < run.from) out.push(r);
  }
  return out;
}

/**
 * Spikes by a Hampel filter: each reading's modified z-score among its `half` neighbours on
 * either side. Local, so a diurnal flow pattern or a slow trend is not taken for outliers.
 */
function findSpikes(readings: readonly Reading[], half: number, zCut: number, limit: number) {
  const spikes: Spike[] = [];
  let spikeCount = 0;
  if (readings.length < 2 * half + 1) return { spikes, spikeCount };
  for (let i = 0; i < readings.length; i++) {
    const lo = Math.max(0, Math.min(i - half, readings.length - 2 * half - 1));
    const window: number[] = [];
    for (let j = lo; j < lo + 2 * half + 1; j++) if (j !== i) window.push(readings[j]!.value);
    const z = modifiedZ(window, readings[i]!.value);
    if (Math.abs(z) > zCut) {
      spikeCount++;
      // A reading off a perfectly flat neighbourhood scores infinite; JSON has no infinity.
      if (spikes.length < limit) spikes.push({ ...readings[i]!, z: Math.max(-1e6, Math.min(1e6, z)) });
    }
  }
  return { spikes, spikeCount };
}
