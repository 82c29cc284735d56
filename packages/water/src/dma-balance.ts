import type { Sample } from '@watershed/model';
import { WaterErrors } from './errors.js';
import { flagLeaks, flowProfile, minimumNightFlow, profileVolume, type LeakRule } from './night-flow.js';
import { registerSteps, volumeIn, type RegisterOptions, type RegisterStep } from './registers.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, checkTzOffset, localDate, localDays } from './time.js';

/** A customer meter of the district: its cumulative register readings, m³. */
export interface DistrictMeter extends RegisterOptions {
  id: string;
  samples: readonly Sample[];
}

export interface DmaInput {
  /** The district's inlet flows, m³/h (summed); a DMA fed by two mains has two. */
  inflows: readonly (readonly Sample[])[];
  meters: readonly DistrictMeter[];
  /** Local days overlapping [from, to) are reported; readings before `from` feed the leak baseline only through the days they fall in. */
  from: number;
  to: number;
}

export interface DmaOptions {
  /** Local time offset from UTC, minutes; default +480 (China Standard Time). */
  tzOffsetMinutes?: number;
  /** The night window in local hours, [start, end); default 02:00–04:00. */
  nightStartHour?: number;
  nightEndHour?: number;
  /** Length of the rolling mean the MNF is the minimum of, minutes; default 15. */
  rollingMinutes?: number;
  /** Connected properties for the night-use allowance; default the number of meters. */
  properties?: number;
  /**
   * Legitimate night use per property, L/property/h; default 1.7 — the household night use the UK
   * water industry's Managing Leakage reports (UKWIR 1994, Report E) give, used by utilities
   * world-wide when a district has no measured figure.
   */
  allowanceLPerPropertyH?: number;
  /** Extra legitimate night use of large users (hospitals, industry), m³/h; default 0. */
  nonHouseholdNightUseM3h?: number;
  /** Below this coverage (%) of inflow or meter data a day's balance is not computed; default 90. */
  minCoveragePct?: number;
  leak?: LeakRule;
  /** Bucket width of the inflow profile, ms; default one minute. */
  resolutionMs?: number;
}

export interface DmaDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  start: number;
  end: number;
  /** System input volume: what the inlets delivered, m³ (over the covered part of the day). */
  systemInputM3: number | null;
  inflowCoveragePct: number;
  /** Billed metered consumption: the meters' register advance prorated to the day, m³. */
  meteredM3: number;
  /** Share of meter-time of the day lying between two readings, %. */
  meterCoveragePct: number;
  /** Non-revenue water = system input − metered consumption (IWA standard water balance); null when either side is under-covered. */
  nrwM3: number | null;
  nrwPct: number | null;
  /** Minimum night flow, m³/h, and the start of its rolling window; null when the night is not covered. */
  mnfM3h: number | null;
  mnfAt: number | null;
  allowanceM3h: number;
  /** MNF − allowance: the night flow nobody legitimately uses — leakage (and theft); ≥ 0. */
  leakEstimateM3h: number | null;
  baselineM3h: number | null;
  /** MNF − baseline: the size of a new leak when `leak` is set. */
  mnfRiseM3h: number | null;
  leak: boolean;
  /** Register events of the day's meter steps: meters replaced, registers rolled over, unexplained drops. */
  resets: number;
  rollovers: number;
  reverse: number;
}

/**
 * The daily water balance and night-flow analysis of a district metered area: system input from
 * the inlet meters, metered consumption from the customer registers, non-revenue water
 * (IWA/AWWA water balance, Alegre et al. 2006, "Performance Indicators for Water Supply
 * Services" 2nd ed., table 3.1), minimum night flow and leak flags.
 */
export function dmaBalance(input: DmaInput, opts: DmaOptions = {}): DmaDay[] {
  const tz = checkTzOffset(opts.tzOffsetMinutes ?? 480);
  const nightStart = opts.nightStartHour ?? 2;
  const nightEnd = opts.nightEndHour ?? 4;
  if (!(nightStart >= 0 && nightEnd <= 24 && nightEnd > nightStart)) {
    throw WaterErrors.BAD_OPTION.create([
      'night window',
      `${nightStart}–${nightEnd} h is not a window within a day`,
    ]);
  }
  const rollingMs = (opts.rollingMinutes ?? 15) * MINUTE_MS;
  if (!(rollingMs > 0 && rollingMs <= (nightEnd - nightStart) * HOUR_MS)) {
    throw WaterErrors.BAD_OPTION.create(['rollingMinutes', 'must be positive and fit in the night window']);
  }
  const minCoverage = opts.minCoveragePct ?? 90;
  const days = localDays(input.from, input.to, tz);
  const first = days[0]!;
  const profile = flowProfile(input.inflows, first, first + days.length * DAY_MS, {
    resolutionMs: opts.resolutionMs ?? MINUTE_MS,
  });
  const meterSteps: RegisterStep[][] = input.meters.map((m) => registerSteps(m.samples, m));
  const properties = opts.properties ?? input.meters.length;
  const allowanceM3h =
    (properties * (opts.allowanceLPerPropertyH ?? 1.7)) / 1000 + (opts.nonHouseholdNightUseM3h ?? 0);

  const rows = days.map((start): DmaDay => {
    const end = start + DAY_MS;
    const inflow = profileVolume(profile, start, end);
    const inflowCoveragePct = (100 * inflow.coveredMs) / DAY_MS;
    let meteredM3 = 0;
    let meterCoveredMs = 0;
    let resets = 0;
    let rollovers = 0;
    let reverse = 0;
    for (const steps of meterSteps) {
      const v = volumeIn(steps, start, end);
      meteredM3 += v.volume;
      meterCoveredMs += v.coveredMs;
      for (const s of steps) {
        if (s.to <= start || s.to > end) continue;
        if (s.kind === 'reset') resets++;
        else if (s.kind === 'rollover') rollovers++;
        else if (s.kind === 'reverse') reverse++;
      }
    }
    const meterCoveragePct =
      input.meters.length > 0 ? (100 * meterCoveredMs) / (DAY_MS * input.meters.length) : 0;
    const balanced = inflowCoveragePct >= minCoverage && meterCoveragePct >= minCoverage;
    const systemInputM3 = inflow.coveredMs > 0 ? inflow.volumeM3 : null;
    const nrwM3 = balanced && systemInputM3 !== null ? systemInputM3 - meteredM3 : null;
    const night = minimumNightFlow(
      profile,
      start + nightStart * HOUR_MS,
      start + nightEnd * HOUR_MS,
      rollingMs,
    );
    return {
      date: localDate(start, tz),
      start,
      end,
      systemInputM3,
      inflowCoveragePct,
      meteredM3,
      meterCoveragePct,
      nrwM3,
      nrwPct: nrwM3 !== null && systemInputM3 ? (100 * nrwM3) / systemInputM3 : null,
      mnfM3h: night?.mnfM3h ?? null,
      mnfAt: night?.at ?? null,
      allowanceM3h,
      leakEstimateM3h: night ? Math.max(0, night.mnfM3h - allowanceM3h) : null,
      baselineM3h: null,
      mnfRiseM3h: null,
      leak: false,
      resets,
      rollovers,
      reverse,
    };
  });
  const verdicts = flagLeaks(
    rows.map((r) => r.mnfM3h),
    opts.leak,
  );
  rows.forEach((r, i) => {
    const v = verdicts[i]!;
    r.baselineM3h = v.baselineM3h;
    r.mnfRiseM3h = v.riseM3h;
    r.leak = v.leak;
  });
  return rows;
}
