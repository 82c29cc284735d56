import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { flagLeaks, flowProfile, minimumNightFlow, profileVolume } from './night-flow.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

const T0 = Date.UTC(2026, 10, 1);
const every = (ms: number, count: number, f: (i: number) => number, from = T0): Sample[] =>
  Array.from({ length: count }, (_, i) => ({ ts: from + i * ms, value: f(i), quality: 'good' as const }));

describe('flowProfile', () => {
  it('takes time-weighted bucket means and integrates them to a volume', () => {
    // 10 m³/h for the first 30 s of each minute, 20 m³/h for the rest.
    const s = every(30_000, 240, (i) => (i % 2 === 0 ? 10 : 20));
    const p = flowProfile([s], T0, T0 + 2 * HOUR_MS);
    expect(p.means).toHaveLength(120);
    expect(p.means.every((m) => m === 15)).toBe(true);
    expect(profileVolume(p, T0, T0 + 2 * HOUR_MS)).toEqual({ volumeM3: 30, coveredMs: 2 * HOUR_MS });
  });

  it('knows a bucket only when every inlet covers it', () => {
    const a = every(MINUTE_MS, 60, () => 5);
    const b = every(MINUTE_MS, 30, () => 7);
    const p = flowProfile([a, b], T0, T0 + HOUR_MS, { maxHoldMs: MINUTE_MS });
    expect(p.means.slice(0, 30).every((m) => m === 12)).toBe(true);
    expect(p.means.slice(30).every((m) => m === null)).toBe(true);
  });
});

describe('minimumNightFlow', () => {
  it('is the lowest rolling 15-minute mean, not one low reading', () => {
    // 3 m³/h all night with one 0 reading and a quieter quarter hour of 2.5 from 03:10.
    const s = every(MINUTE_MS, 240, (i) => (i === 30 ? 0 : i >= 70 && i < 85 ? 2.5 : 3), T0 + 2 * HOUR_MS);
    const p = flowProfile([s], T0, T0 + 6 * HOUR_MS);
    const mnf = minimumNightFlow(p, T0 + 2 * HOUR_MS, T0 + 4 * HOUR_MS, 15 * MINUTE_MS);
    expect(mnf).toEqual({ mnfM3h: 2.5, at: T0 + 3 * HOUR_MS + 10 * MINUTE_MS });
  });

  it('skips windows with unknown buckets and answers null for an empty night', () => {
    const s = every(MINUTE_MS, 20, () => 4, T0 + 2 * HOUR_MS);
    const p = flowProfile([s], T0, T0 + 6 * HOUR_MS, { maxHoldMs: MINUTE_MS });
    expect(minimumNightFlow(p, T0 + 2 * HOUR_MS, T0 + 4 * HOUR_MS, 15 * MINUTE_MS)?.mnfM3h).toBe(4);
    expect(minimumNightFlow(p, T0 + 4 * HOUR_MS, T0 + 6 * HOUR_MS, 15 * MINUTE_MS)).toBeNull();
  });
});

describe('flagLeaks', () => {
  it('flags a rise above the median of the previous normal nights and keeps flagging until it goes', () => {
    const v = flagLeaks([10, 10.2, 9.8, 10.1, 16.1, 16, 10.3, null, 10.1]);
    expect(v.map((x) => x.leak)).toEqual([false, false, false, false, true, true, false, false, false]);
    expect(v[4]!.baselineM3h).toBe(10.05);
    expect(v[4]!.riseM3h).toBeCloseTo(6.05, 9);
    // The leak nights stay out of the baseline.
    expect(v[6]!.baselineM3h).toBe(10.05);
    expect(v[7]).toEqual({ baselineM3h: 10.1, riseM3h: null, leak: false });
  });

  it('needs enough nights for a baseline and a rise above both thresholds', () => {
    expect(flagLeaks([10, 30]).map((x) => x.baselineM3h)).toEqual([null, null]);
    // +0.8 m³/h on a 10 m³/h baseline: above 0.5 absolute, under 10 %.
    expect(flagLeaks([10, 10, 10, 10.8]).at(-1)?.leak).toBe(false);
    expect(flagLeaks([10, 10, 10, 10.8], { thresholdPct: 5 }).at(-1)?.leak).toBe(true);
  });
});
