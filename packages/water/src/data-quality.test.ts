import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { dataQuality } from './data-quality.js';
import { modifiedZ } from './robust.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

const T0 = Date.UTC(2026, 10, 1);
const range = { from: T0, to: T0 + 10 * HOUR_MS - MINUTE_MS, expectedIntervalMs: MINUTE_MS };
/** A pressure-like signal, one reading a minute for 10 h: a slow daily swing plus last-digit noise. */
const signal = (i: number): number => 45 + 5 * Math.sin(i / 90) + 0.05 * Math.sin(i * 12.9898);
const series = (f: (i: number) => number | 'bad' | 'skip' = signal): Sample[] =>
  Array.from({ length: 600 }, (_, i) => {
    const v = f(i);
    if (v === 'skip') return undefined;
    return v === 'bad'
      ? ({ ts: T0 + i * MINUTE_MS, value: null, quality: 'bad', reason: 'WS_ERR_TIMEOUT' } as const)
      : ({ ts: T0 + i * MINUTE_MS, value: v, quality: 'good' } as const);
  }).filter((s): s is NonNullable<typeof s> => s !== undefined);

describe('modifiedZ', () => {
  it('scores by median and MAD, falling back to the mean absolute deviation', () => {
    expect(modifiedZ([1, 2, 3, 4, 5], 3)).toBe(0);
    expect(modifiedZ([1, 2, 3, 4, 5], 13)).toBeCloseTo(6.745, 9);
    expect(modifiedZ([5, 5, 5, 5, 9], 9)).toBeCloseTo(4 / (1.2533 * 0.8), 9);
    expect(modifiedZ([5, 5, 5], 6)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('dataQuality', () => {
  it('scores a clean, complete series 100 with no findings', () => {
    const r = dataQuality(series(), range);
    expect(r).toMatchObject({
      expected: 600,
      received: 600,
      completenessPct: 100,
      gapCount: 0,
      spikeCount: 0,
      stuckReadings: 0,
      score: 100,
      issues: [],
    });
  });

  it('lists gaps with the readings they miss, at the edges too', () => {
    const r = dataQuality(
      series((i) => (i < 10 || (i >= 100 && i < 160) ? 'skip' : signal(i))),
      range,
    );
    expect(r.received).toBe(530);
    expect(r.gaps).toEqual([
      { from: T0, to: T0 + 9 * MINUTE_MS, missing: 10 },
      { from: T0 + 100 * MINUTE_MS, to: T0 + 159 * MINUTE_MS, missing: 60 },
    ]);
    expect(r.completenessPct).toBeCloseTo(100 * (530 / 600), 9);
    expect(r.score).toBe(88);
  });

  it('finds a frozen value and a spike, and leaves the daily swing alone', () => {
    const r = dataQuality(
      series((i) => (i >= 200 && i < 240 ? 47.12 : i === 400 ? 80 : signal(i))),
      range,
    );
    expect(r.stuck).toEqual([
      { from: T0 + 200 * MINUTE_MS, to: T0 + 239 * MINUTE_MS, value: 47.12, intervals: 39, readings: 40 },
    ]);
    expect(r.stuckReadings).toBe(39);
    expect(r.spikes.map((s) => s.ts)).toEqual([T0 + 400 * MINUTE_MS]);
    expect(r.spikes[0]!.z).toBeGreaterThan(3.5);
    expect(r.score).toBe(Math.round((100 * (600 - 39 - 1)) / 600));
  });

  it('counts bad-quality and physically impossible readings apart from the rest', () => {
    const r = dataQuality(
      series((i) => (i % 50 === 0 ? 'bad' : i === 333 ? -3 : signal(i))),
      {
        ...range,
        physicalMin: 0,
        physicalMax: 160,
      },
    );
    expect(r.bad).toBe(12);
    expect(r.badPct).toBe(2);
    expect(r.outOfRange).toEqual([{ ts: T0 + 333 * MINUTE_MS, value: -3 }]);
    expect(r.spikeCount).toBe(0);
    expect(r.issues[0]).toBe('12 bad-quality readings');
    expect(r.score).toBe(98);
  });

  it('reports a silent point as 0', () => {
    const r = dataQuality([], range);
    expect(r).toMatchObject({
      received: 0,
      score: 0,
      gapCount: 1,
      gaps: [{ from: T0, to: range.to, missing: 600 }],
    });
  });
});
