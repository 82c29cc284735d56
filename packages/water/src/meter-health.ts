import type { Sample } from '@watershed/model';
import { checkRange, DAY_MS, HOUR_MS } from './time.js';
import { registerSteps, type RegisterOptions } from './registers.js';
import { measurement, ordered } from './series.js';

export type MeterStatus = 'ok' | 'warn' | 'fault';

export type MeterReasonCode =
  | 'no-readings'
  | 'incomplete'
  | 'stale'
  | 'zero-consumption'
  | 'reverse-flow'
  | 'sudden-jump'
  | 'register-reset'
  | 'battery-low'
  | 'valve-closed';

export interface MeterReason {
  code: MeterReasonCode;
  severity: Exclude<MeterStatus, 'ok'>;
  message: string;
  /** When it was seen (the reading concerned), where that means something. */
  ts?: number;
}

export interface MeterHealthInput extends RegisterOptions {
  id: string;
  /** Cumulative register readings, m³. */
  samples: readonly Sample[];
  /** How often the meter is meant to report, ms. */
  reportIntervalMs: number;
  /** Nominal diameter DN, mm; decides the plausible flow. */
  sizeMm?: number;
  batteryLow?: boolean;
  valveOpen?: boolean;
  /**
   * Readings the meter sent in the period, when `samples` is a thinned series (e.g. the last
   * reading of each hour from a rollup) rather than every reading; default: the good samples.
   */
  readingCount?: number;
}

export interface MeterHealthOptions {
  /** The assessed period; `to` is "now" for the last reading's age. */
  from: number;
  to: number;
  /** Completeness below this is a warning, %; default 90. */
  warnCompletenessPct?: number;
  /** …below this a fault, %; default 50. */
  faultCompletenessPct?: number;
  /** No reading for this many report intervals: warning; default 3. */
  staleIntervals?: number;
  /** No reading for this long: fault, ms; default 3 days. */
  staleFaultMs?: number;
  /** An unchanged register over this long is a possibly stopped meter, ms; default 7 days. */
  zeroConsumptionMs?: number;
  /** A drop of the register by more than this is reverse flow, m³; default 0.01 (a register's last digit of resolution). */
  reverseToleranceM3?: number;
  /** Override the plausible maximum flow, m³/h (default from `sizeMm`, see `overloadFlowM3h`). */
  maxFlowM3h?: number;
}

export interface MeterHealth {
  id: string;
  status: MeterStatus;
  reasons: MeterReason[];
  readings: number;
  expectedReadings: number;
  completenessPct: number;
  lastReadingTs: number | null;
  lastReadingAgeMs: number | null;
  lastValueM3: number | null;
  /** Register advance over the period, m³ (rollovers and replacements accounted). */
  consumptionM3: number;
}

/**
 * Permanent flow Q3 by nominal size for the common R-ratio designs of ISO 4064-1:2014 /
 * GB/T 778.1-2018 (Q3 is the maker's choice from the R10 series; these are the usual ones).
 * The overload flow Q4 = 1.25 × Q3 (ISO 4064-1 §4.1.2) is the most a meter passes without damage,
 * so a register advancing faster than that is not water through the meter but a misread or tamper.
 */
const Q3_BY_DN: readonly (readonly [number, number])[] = [
  [15, 2.5],
  [20, 4],
  [25, 6.3],
  [32, 10],
  [40, 16],
  [50, 25],
  [65, 40],
  [80, 63],
  [100, 100],
  [125, 160],
  [150, 250],
  [200, 400],
  [250, 630],
  [300, 1000],
];

/** Q4 of a meter of nominal size `sizeMm` (DN15 when unknown: the household meter). */
export function overloadFlowM3h(sizeMm = 15): number {
  let q3 = Q3_BY_DN[0]![1];
  for (const [dn, q] of Q3_BY_DN) if (dn <= sizeMm) q3 = q;
  return 1.25 * q3;
}

/**
 * The health of one meter from its register readings over [from, to]: what a meter-reading
 * office checks before trusting a bill — did it report, is it recent, does it move, does it move
 * believably, and what the meter says of itself (battery, valve).
 */
export function meterHealth(meter: MeterHealthInput, opts: MeterHealthOptions): MeterHealth {
  checkRange(opts.from, opts.to);
  const reasons: MeterReason[] = [];
  const within = ordered(meter.samples).filter((s) => s.ts >= opts.from && s.ts <= opts.to);
  const good = within.filter((s) => measurement(s) !== undefined);
  const expected = Math.max(1, Math.floor((opts.to - opts.from) / meter.reportIntervalMs));
  const readings = meter.readingCount ?? good.length;
  const completenessPct = Math.min(100, (100 * readings) / expected);
  const last = good.at(-1);
  const lastReadingAgeMs = last ? opts.to - last.ts : null;

  if (!last) {
    reasons.push({ code: 'no-readings', severity: 'fault', message: 'no good reading in the period' });
  } else {
    if (completenessPct < (opts.faultCompletenessPct ?? 50)) {
      reasons.push({
        code: 'incomplete',
        severity: 'fault',
        message: `${completenessPct.toFixed(0)} % of expected readings`,
      });
    } else if (completenessPct < (opts.warnCompletenessPct ?? 90)) {
      reasons.push({
        code: 'incomplete',
        severity: 'warn',
        message: `${completenessPct.toFixed(0)} % of expected readings`,
      });
    }
    const age = lastReadingAgeMs!;
    if (age > (opts.staleFaultMs ?? 3 * DAY_MS)) {
      reasons.push({
        code: 'stale',
        severity: 'fault',
        message: `last reading ${hours(age)} h ago`,
        ts: last.ts,
      });
    } else if (age > (opts.staleIntervals ?? 3) * meter.reportIntervalMs) {
      reasons.push({
        code: 'stale',
        severity: 'warn',
        message: `last reading ${hours(age)} h ago`,
        ts: last.ts,
      });
    }
  }

  const steps = registerSteps(good, meter);
  const maxFlow = opts.maxFlowM3h ?? overloadFlowM3h(meter.sizeMm);
  const tolerance = opts.reverseToleranceM3 ?? 0.01;
  let consumptionM3 = 0;
  for (const s of steps) {
    consumptionM3 += s.volume;
    if (s.kind === 'reverse' && -s.volume > tolerance) {
      reasons.push({
        code: 'reverse-flow',
        severity: 'fault',
        message: `register fell from ${m3(s.before)} to ${m3(s.after)} m³`,
        ts: s.to,
      });
    } else if (s.kind === 'reset') {
      reasons.push({
        code: 'register-reset',
        severity: 'warn',
        message: `register restarted at ${m3(s.after)} m³ (from ${m3(s.before)}): meter replaced?`,
        ts: s.to,
      });
    }
    const flow = s.volume / ((s.to - s.from) / HOUR_MS);
    if (s.volume > 0 && flow > maxFlow) {
      reasons.push({
        code: 'sudden-jump',
        severity: 'fault',
        message: `${s.volume.toFixed(3)} m³ in ${hours(s.to - s.from)} h = ${flow.toFixed(1)} m³/h, above the meter's ${maxFlow} m³/h`,
        ts: s.to,
      });
    }
  }

  const zeroSpan = opts.zeroConsumptionMs ?? 7 * DAY_MS;
  const still = stillSince(steps);
  if (still !== undefined && last && last.ts - still >= zeroSpan) {
    reasons.push({
      code: 'zero-consumption',
      severity: 'warn',
      message: `register unchanged for ${((((last.ts - still) / DAY_MS) * 10) | 0) / 10} days: stopped meter or vacant property?`,
      ts: still,
    });
  }
  if (meter.batteryLow)
    reasons.push({ code: 'battery-low', severity: 'warn', message: 'the meter reports a low battery' });
  if (meter.valveOpen === false)
    reasons.push({ code: 'valve-closed', severity: 'warn', message: "the meter's valve is closed" });

  const status: MeterStatus = reasons.some((r) => r.severity === 'fault')
    ? 'fault'
    : reasons.length > 0
      ? 'warn'
      : 'ok';
  return {
    id: meter.id,
    status,
    reasons,
    readings,
    expectedReadings: expected,
    completenessPct,
    lastReadingTs: last?.ts ?? null,
    lastReadingAgeMs,
    lastValueM3: last ? measurement(last)! : null,
    consumptionM3,
  };
}

/** Since when the register has not moved (ts of the first reading of the trailing flat run). */
function stillSince(steps: readonly { from: number; volume: number }[]): number | undefined {
  let since: number | undefined;
  for (let i = steps.length - 1; i >= 0 && steps[i]!.volume === 0; i--) since = steps[i]!.from;
  return since;
}

/** A register reading as a meter shows it: to the litre. */
function m3(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

function hours(ms: number): string {
  return (ms / HOUR_MS).toFixed(1);
}
