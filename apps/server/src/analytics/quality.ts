import type { DataQualityRequest, PointDataQuality, QualityCompliance } from './wire.js';
import type { Point } from '@watershed/model';
import type { Store } from '@watershed/store';
import {
  compliance,
  complianceBand,
  dataQuality,
  medianSpacing,
  type ComplianceLimit,
} from '@watershed/water';
import type { QualityPoint } from './quality-points.js';
import { minuteMeans } from './readers.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * The means compliance is judged on: 1-minute up to a week (online analysers integrate over
 * seconds to minutes anyway, and the standard sets no averaging time for online readings),
 * 15-minute beyond, so a month's report for every panel of a city stays a request, not a batch
 * job. An excursion shorter than the means is smoothed; the report says which were used.
 */
export function complianceResolution(from: number, to: number): number {
  return to - from > 7 * 24 * HOUR ? 15 * MINUTE : MINUTE;
}

/**
 * GB 5749 compliance of one quality point over [from, to], judged on its means (see
 * `complianceResolution`). Bad samples are counted from the rollups, so `excluded` is what the
 * analyser really flagged. Undefined when the rule set has no limit for the point's parameter
 * at its role.
 */
export async function pointCompliance(
  store: Store,
  limits: readonly ComplianceLimit[],
  q: QualityPoint,
  from: number,
  to: number,
): Promise<QualityCompliance | undefined> {
  const band = complianceBand(limits, q.parameter, q.role);
  if (!band) return undefined;
  const resolution = complianceResolution(from, to);
  const means = await minuteMeans(store, q.point, from, to, resolution);
  const r = compliance(means.samples, band, { from, to, maxHoldMs: 3 * resolution });
  return { ...r, excluded: means.bad, point: q.point, site: q.site };
}

/**
 * What an instrument can read at all: outside it a value is a fault, not water. Only quantities
 * with a physical bound are checked (a flow may run backwards, a pressure may be a vacuum).
 */
const PHYSICAL: Partial<Record<NonNullable<Point['quantity']>, { min?: number; max?: number }>> = {
  ph: { min: 0, max: 14 },
  turbidity: { min: 0 },
  chlorine: { min: 0 },
  conductivity: { min: 0 },
  level: { min: 0 },
  volume: { min: 0 },
};

/**
 * A register, a status or a setting holds still by nature; only a live measurement that stops
 * moving is suspect.
 */
const STILL_BY_NATURE = new Set(['volume', 'status', 'setting']);

/**
 * The data-quality report of one point. A point sampled faster than once a minute is checked on
 * its 1-minute means (a minute without any sample is a gap; a flat minute mean for a quarter
 * hour is a frozen signal); a slower one on its raw samples, at the spacing it usually keeps —
 * the platform does not record each tag's poll interval, so the point's own median spacing
 * stands for it.
 */
export async function pointDataQuality(
  store: Store,
  p: Point,
  q: DataQualityRequest,
): Promise<PointDataQuality> {
  const hours = await store.aggregate(p.id, { from: q.from, to: q.to, bucketMs: HOUR });
  const count = hours.buckets.reduce((a, b) => a + b.count, 0);
  const spanH = Math.max(1, (q.to - q.from) / HOUR);
  // Faster than one sample in ~45 s: minute means; a once-a-minute point stays on its raw samples.
  const fast = count / spanH > 80;
  const physical = p.quantity ? PHYSICAL[p.quantity] : undefined;
  const common = {
    from: q.from,
    to: q.to,
    ...(physical?.min !== undefined ? { physicalMin: physical.min } : {}),
    ...(physical?.max !== undefined ? { physicalMax: physical.max } : {}),
    ...(p.quantity && STILL_BY_NATURE.has(p.quantity) ? { stuckIntervals: 0 } : {}),
  };
  if (fast) {
    const means = await minuteMeans(store, p.id, q.from, q.to);
    const {
      from: _f,
      to: _t,
      ...report
    } = dataQuality(means.samples, {
      ...common,
      expectedIntervalMs: MINUTE,
      stuckIntervals: common.stuckIntervals ?? 15,
    });
    return { point: p.id, basis: '1m', expectedIntervalMs: MINUTE, ...report };
  }
  const raw = await store.series(p.id, { from: q.from, to: q.to });
  const interval = medianSpacing(raw) ?? HOUR;
  const { from: _f, to: _t, ...report } = dataQuality(raw, { ...common, expectedIntervalMs: interval });
  return { point: p.id, basis: 'raw', expectedIntervalMs: interval, ...report };
}
