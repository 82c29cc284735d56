import { readFileSync } from 'node:fs';
import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { compliance } from './compliance.js';
import { complianceBand, complianceLimitsFromRuleSet, type RuleSetLike } from './limits.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

// The rule set the alarms package ships, read as data: compliance must judge by the same numbers.
const shipped = JSON.parse(
  readFileSync(new URL('../../alarms/src/rulesets/gb5749-2022.json', import.meta.url), 'utf8'),
) as RuleSetLike;
const limits = complianceLimitsFromRuleSet(shipped);

const T0 = Date.UTC(2026, 10, 1);
const good = (ts: number, value: number): Sample => ({ ts, value, quality: 'good' });

/** One reading a minute over `hours`, valued by `f(minute)`. */
function minutes(hours: number, f: (m: number) => number): Sample[] {
  return Array.from({ length: hours * 60 }, (_, m) => good(T0 + m * MINUTE_MS, f(m)));
}

describe('GB 5749-2022 limits from the shipped rule set', () => {
  it('gives the bands of 表1 and 表2 at the plant outlet and the network end', () => {
    expect(complianceBand(limits, 'turbidity', 'plant-outlet')).toMatchObject({ max: 1, unit: 'NTU' });
    expect(complianceBand(limits, 'ph', 'network-end')).toMatchObject({ min: 6.5, max: 8.5 });
    expect(complianceBand(limits, 'chlorine', 'plant-outlet')).toMatchObject({
      min: 0.3,
      max: 2,
      unit: 'mg/L',
    });
    const end = complianceBand(limits, 'chlorine', 'network-end');
    expect(end).toMatchObject({ min: 0.05 });
    expect(end?.max).toBeUndefined();
    expect(end?.sources[0]).toMatch(/^GB 5749-2022 表2 .*clause 4\.2/);
  });

  it('relaxes turbidity to 3 NTU for a small system (clause 4.3) and keeps the rest', () => {
    const small = complianceLimitsFromRuleSet(shipped, 'small-system');
    expect(complianceBand(small, 'turbidity', 'network-end')?.max).toBe(3);
    expect(complianceBand(small, 'ph', 'plant-outlet')).toMatchObject({ min: 6.5, max: 8.5 });
  });
});

describe('compliance', () => {
  const turbidity = complianceBand(limits, 'turbidity', 'plant-outlet')!;
  const chlorineEnd = complianceBand(limits, 'chlorine', 'network-end')!;

  it('weighs by time, lists the excursion with its peak and counts bad readings apart', () => {
    // 10 h of 0.2 NTU with one hour above 1 NTU (peak 2.4 at minute 200) and 30 bad readings.
    const series = minutes(10, (m) => (m >= 180 && m < 240 ? (m === 200 ? 2.4 : 1.5) : 0.2)).map((s, i) =>
      i >= 400 && i < 430
        ? { ts: s.ts, value: null, quality: 'bad' as const, reason: 'WS_ERR_MODBUS_TIMEOUT' }
        : s,
    );
    const r = compliance(series, turbidity, { from: T0, to: T0 + 10 * HOUR_MS });
    expect(r.samples).toBe(570);
    expect(r.excluded).toBe(30);
    expect(r.compliantSamples).toBe(510);
    // A bad reading ends the hold of the one before: the bad half hour is not covered.
    expect(r.coveredMs).toBe(10 * HOUR_MS - 30 * MINUTE_MS);
    expect(r.compliancePct).toBeCloseTo((100 * 510) / 570, 6);
    expect(r.worst).toEqual({ ts: T0 + 200 * MINUTE_MS, value: 2.4 });
    expect(r.excursions).toEqual([
      {
        side: 'high',
        start: T0 + 180 * MINUTE_MS,
        end: T0 + 240 * MINUTE_MS,
        durationMs: HOUR_MS,
        peak: { ts: T0 + 200 * MINUTE_MS, value: 2.4 },
        open: false,
      },
    ]);
  });

  it('is not swayed by a burst of readings during an excursion', () => {
    const steady = minutes(4, () => 0.3);
    // 600 extra readings at 1.8 NTU within one minute: the sample share collapses, the time share barely moves.
    const burst = Array.from({ length: 600 }, (_, i) => good(T0 + 60 * MINUTE_MS + i * 100, 1.8));
    const r = compliance([...steady, ...burst], turbidity, { from: T0, to: T0 + 4 * HOUR_MS });
    expect(r.compliantSamples / r.samples).toBeLessThan(0.3);
    expect(r.compliancePct!).toBeGreaterThan(99.5);
  });

  it('lets a value at the limit comply and keeps an excursion open at the end of the range', () => {
    const series = [good(T0, 0.05), good(T0 + HOUR_MS, 0.04), good(T0 + 2 * HOUR_MS, 0.03)];
    const r = compliance(series, chlorineEnd, { from: T0, to: T0 + 3 * HOUR_MS, maxHoldMs: HOUR_MS });
    expect(r.compliantSamples).toBe(1);
    expect(r.compliancePct).toBeCloseTo(100 / 3, 6);
    expect(r.excursions).toHaveLength(1);
    expect(r.excursions[0]).toMatchObject({
      side: 'low',
      start: T0 + HOUR_MS,
      end: T0 + 3 * HOUR_MS,
      open: true,
      peak: { ts: T0 + 2 * HOUR_MS, value: 0.03 },
    });
  });

  it('counts a silence as uncovered, not as compliant', () => {
    const series = [...minutes(1, () => 7.2), good(T0 + 5 * HOUR_MS, 7.3)];
    const ph = complianceBand(limits, 'ph', 'network-end')!;
    const r = compliance(series, ph, { from: T0, to: T0 + 6 * HOUR_MS });
    // 59 one-minute spacings, then the last minute reading and the lone one each hold three spacings.
    expect(r.coveragePct).toBeCloseTo((100 * (59 + 3 + 3)) / 360, 6);
    expect(r.compliancePct).toBe(100);
    expect(r.uncertain).toBe(0);
  });

  it('answers null compliance for a point without readings', () => {
    const r = compliance([], turbidity, { from: T0, to: T0 + HOUR_MS });
    expect(r).toMatchObject({ samples: 0, compliancePct: null, worst: null, excursions: [] });
  });
});
