import type { Sample } from '@watershed/model';
import { measurement, ordered } from './series.js';

/**
 * What happened between two readings of a cumulative register.
 * - `forward`: the register advanced (or stood still); volume = the difference.
 * - `rollover`: it passed its capacity and restarted at zero; volume = capacity − before + after.
 * - `reset`: it restarted near zero without passing its capacity — the meter was replaced (or its
 *   register cleared); volume = after, what the new register has counted since it started.
 * - `reverse`: it went down by something neither explains — water flowing back through the meter
 *   or a misread; volume = the (negative) difference, which is what the register says happened.
 */
export type RegisterStepKind = 'forward' | 'rollover' | 'reset' | 'reverse';

export interface RegisterStep {
  from: number;
  to: number;
  before: number;
  after: number;
  volume: number;
  kind: RegisterStepKind;
}

export interface RegisterOptions {
  /**
   * The register's capacity, m³ (a 5-digit m³ register: 100 000). Default: the power of ten just
   * above the reading before the drop — a mechanical or electronic register counts to 9…9.
   */
  capacityM3?: number;
  /**
   * A drop to at most this reading (and below half the reading before), not a rollover, is a
   * reset: a new meter starts near zero. Default 1 % of the reading before, at least 10 m³.
   */
  resetBelowM3?: number;
  /** A rollover is only believed when the volume it implies is at most this share of the capacity; default 1 %. */
  rolloverMaxShare?: number;
}

/**
 * The steps between consecutive good readings of a cumulative register (CJ/T 188-2018 §6.4:
 * the meter reports its accumulated flow, 累积流量). Consumption over any period is the sum of
 * the steps' volumes, which is what a bill computes from readings, rollovers and meter changes
 * included.
 */
export function registerSteps(series: readonly Sample[], opts: RegisterOptions = {}): RegisterStep[] {
  const steps: RegisterStep[] = [];
  let prev: { ts: number; value: number } | undefined;
  for (const s of ordered(series)) {
    const v = measurement(s);
    if (v === undefined) continue;
    if (prev) steps.push(classify(prev.ts, s.ts, prev.value, v, opts));
    prev = { ts: s.ts, value: v };
  }
  return steps;
}

function classify(
  from: number,
  to: number,
  before: number,
  after: number,
  opts: RegisterOptions,
): RegisterStep {
  if (after >= before) return { from, to, before, after, volume: after - before, kind: 'forward' };
  const capacity = opts.capacityM3 ?? 10 ** Math.ceil(Math.log10(Math.max(before, 1) + 1e-9));
  const rolled = capacity - before + after;
  if (before <= capacity && rolled >= 0 && rolled <= capacity * (opts.rolloverMaxShare ?? 0.01)) {
    return { from, to, before, after, volume: rolled, kind: 'rollover' };
  }
  const resetBelow = opts.resetBelowM3 ?? Math.max(10, before * 0.01);
  // A new register starts near zero, far below the old one: 2.4 → 1.4 m³ is water running back.
  if (after <= resetBelow && after < before / 2)
    return { from, to, before, after, volume: after, kind: 'reset' };
  return { from, to, before, after, volume: after - before, kind: 'reverse' };
}

/**
 * The volume the steps put into [from, to): a step spanning the boundary is shared by time, as
 * if the flow between its two readings was even — the usual proration of meter reads to a
 * reporting period (IWA water balance, Alegre et al. 2006, §3: consumption over the period).
 * `coveredMs` is how much of the period lies between readings.
 */
export function volumeIn(
  steps: readonly RegisterStep[],
  from: number,
  to: number,
): { volume: number; coveredMs: number } {
  let volume = 0;
  let coveredMs = 0;
  for (const s of steps) {
    if (s.to <= from || s.from >= to) continue;
    const span = s.to - s.from;
    const overlap = Math.min(s.to, to) - Math.max(s.from, from);
    if (span <= 0 || overlap <= 0) continue;
    volume += (s.volume * overlap) / span;
    coveredMs += overlap;
  }
  return { volume, coveredMs };
}
