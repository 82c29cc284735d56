import type { Sample } from '@watershed/model';
import type { ComplianceBand } from './limits.js';
import { defaultMaxHold, heldIntervals, measurement, ordered, type Reading } from './series.js';
import { HOUR_MS, checkRange } from './time.js';

/** A stretch of time a parameter spent outside its band. */
export interface Excursion {
  side: 'high' | 'low';
  /** ts of the first reading outside the band. */
  start: number;
  /** When the value was known to be back inside (the next compliant reading), or where the data ran out. */
  end: number;
  durationMs: number;
  /** The reading farthest outside the band. */
  peak: Reading;
  /** True when the range ended with the value still outside. */
  open: boolean;
}

export interface ComplianceOptions {
  from: number;
  to: number;
  /**
   * How long a reading stands for the water before it is a gap; default three typical sample
   * spacings of the series (at least one minute), or one hour for a series of one sample.
   */
  maxHoldMs?: number;
}

/** Compliance of one parameter at one sampling point over a period. */
export interface ComplianceResult {
  parameter: ComplianceBand['parameter'];
  role: ComplianceBand['role'];
  unit: string;
  min: number | null;
  max: number | null;
  sources: string[];
  /** Readings in the range that counted (good or uncertain quality, numeric). */
  samples: number;
  /** Of `samples`, those of uncertain quality. */
  uncertain: number;
  /** Bad-quality or non-numeric samples: excluded from the percentages, counted here. */
  excluded: number;
  /** Of `samples`, those inside the band. */
  compliantSamples: number;
  /** Time covered by readings (held, see `maxHoldMs`), ms. */
  coveredMs: number;
  compliantMs: number;
  /**
   * Share of the covered time the value was inside the band, %: time-weighted, so a burst of
   * readings during an excursion does not weigh more than the hours of steady water around it.
   * Null when nothing was covered.
   */
  compliancePct: number | null;
  /** Share of the range covered by readings, %. */
  coveragePct: number;
  /** The reading farthest outside the band, or nearest its edge when all comply; null without readings. */
  worst: Reading | null;
  excursions: Excursion[];
}

/** Distance outside the band (positive) or inside it (negative), in the parameter's unit. */
function exceedance(v: number, band: ComplianceBand): { by: number; side: 'high' | 'low' } {
  const high = band.max === undefined ? Number.NEGATIVE_INFINITY : v - band.max;
  const low = band.min === undefined ? Number.NEGATIVE_INFINITY : band.min - v;
  return high >= low ? { by: high, side: 'high' } : { by: low, side: 'low' };
}

/**
 * Compliance of a quality series with its band (GB 5749-2022 clause 4.2: water shall meet 表1
 * and 表2 at the plant outlet and the network end). A reading exactly at a limit complies: the
 * standard writes the limits as "≤" and "≥" (不大于 / 不小于).
 */
export function compliance(
  series: readonly Sample[],
  band: ComplianceBand,
  opts: ComplianceOptions,
): ComplianceResult {
  checkRange(opts.from, opts.to);
  const samples = ordered(series);
  const maxHold = opts.maxHoldMs ?? Math.max(60_000, defaultMaxHold(samples, HOUR_MS));
  let counted = 0;
  let uncertain = 0;
  let excluded = 0;
  let compliantSamples = 0;
  let worst: Reading | null = null;
  let worstBy = Number.NEGATIVE_INFINITY;
  const excursions: Excursion[] = [];
  let current: Excursion | undefined;

  for (const s of samples) {
    if (s.ts < opts.from || s.ts > opts.to) continue;
    const v = measurement(s);
    if (v === undefined) {
      excluded++;
      continue;
    }
    counted++;
    if (s.quality === 'uncertain') uncertain++;
    const { by, side } = exceedance(v, band);
    if (by > worstBy) {
      worstBy = by;
      worst = { ts: s.ts, value: v };
    }
    if (by <= 0) {
      compliantSamples++;
      if (current) {
        current.end = s.ts;
        current.open = false;
        current = undefined;
      }
      continue;
    }
    if (current && current.side !== side) {
      current.end = s.ts;
      current.open = false;
      current = undefined;
    }
    if (!current) {
      current = { side, start: s.ts, end: s.ts, durationMs: 0, peak: { ts: s.ts, value: v }, open: true };
      excursions.push(current);
    } else if (side === 'high' ? v > current.peak.value : v < current.peak.value) {
      current.peak = { ts: s.ts, value: v };
    }
  }

  let coveredMs = 0;
  let compliantMs = 0;
  const held = heldIntervals(samples, opts.from, opts.to, maxHold);
  for (const h of held) {
    const span = h.end - h.start;
    coveredMs += span;
    if (exceedance(h.value, band).by <= 0) compliantMs += span;
  }
  // An excursion still open when its readings stop lasts as long as its last reading holds.
  for (const e of excursions) {
    if (e.open) e.end = Math.max(e.end, lastHeldEnd(held, e.start));
    e.durationMs = e.end - e.start;
  }

  return {
    parameter: band.parameter,
    role: band.role,
    unit: band.unit,
    min: band.min ?? null,
    max: band.max ?? null,
    sources: band.sources,
    samples: counted,
    uncertain,
    excluded,
    compliantSamples,
    coveredMs,
    compliantMs,
    compliancePct: coveredMs > 0 ? (100 * compliantMs) / coveredMs : null,
    coveragePct: (100 * coveredMs) / (opts.to - opts.from),
    worst,
    excursions,
  };
}

/** The end of the held run of intervals that follows `start` without a gap. */
function lastHeldEnd(held: readonly { start: number; end: number }[], start: number): number {
  let end = start;
  for (const h of held) {
    if (h.end <= start) continue;
    if (h.start > end) break;
    end = Math.max(end, h.end);
  }
  return end;
}
