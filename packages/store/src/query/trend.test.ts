import { describe, expect, it } from 'vitest';
import { buildTrend, defaultMaxGap, type NumericSeries } from './trend.js';

function of(ts: number[], value: number[]): NumericSeries {
  return { ts: Float64Array.from(ts), value: Float64Array.from(value), length: ts.length };
}

const base = { from: 0, to: 999, stepMs: 0, method: 'minmax' as const };

describe('buildTrend', () => {
  it('returns nothing for no data', () => {
    expect(buildTrend(of([], []), { ...base, points: 10 })).toEqual([]);
  });

  it('marks a stretch longer than maxGapMs with a null just after its last sample', () => {
    const t = buildTrend(of([0, 10, 20, 500, 510], [1, 2, 3, 4, 5]), { ...base, points: 100, maxGapMs: 50 });
    expect(t).toEqual([
      { ts: 0, value: 1 },
      { ts: 10, value: 2 },
      { ts: 20, value: 3 },
      { ts: 21, value: null },
      { ts: 500, value: 4 },
      { ts: 510, value: 5 },
    ]);
  });

  it('never draws across a gap, for either method, and stays within budget', () => {
    const ts: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < 5000; i++) {
      ts.push(i < 2500 ? i * 10 : 100_000 + i * 10);
      v.push(Math.sin(i / 30));
    }
    for (const method of ['minmax', 'lttb'] as const) {
      const t = buildTrend(of(ts, v), { from: 0, to: 150_000, points: 100, method, stepMs: 0 });
      const nulls = t.filter((p) => p.value === null);
      expect(nulls).toHaveLength(1);
      expect(t.length - nulls.length).toBeLessThanOrEqual(100);
      const at = t.findIndex((p) => p.value === null);
      expect(t[at - 1]?.ts).toBe(24_990);
      expect(t[at + 1]?.ts).toBe(125_000);
    }
  });

  it('keeps only the longest gaps when there are more than the budget can show', () => {
    // 20 samples, each 100 ms apart except one 1000 ms hole; maxGap 50 makes every step a gap.
    const ts = Array.from({ length: 20 }, (_, i) => i * 100 + (i >= 10 ? 1000 : 0));
    const t = buildTrend(of(ts, ts), { ...base, to: 3000, points: 4, maxGapMs: 50 });
    expect(t.filter((p) => p.value === null)).toEqual([{ ts: 901, value: null }]);
    expect(t.filter((p) => p.value !== null).length).toBeLessThanOrEqual(4);
  });
});

describe('defaultMaxGap', () => {
  it('is the longest of a column, the source step and twice the mean spacing', () => {
    const s = of([0, 300_000, 600_000], [1, 2, 3]);
    expect(defaultMaxGap(s, { from: 0, to: 3_599_999, points: 1000, stepMs: 0 })).toBe(600_000);
    expect(defaultMaxGap(s, { from: 0, to: 3_599_999, points: 2, stepMs: 0 })).toBe(1_800_000);
    expect(defaultMaxGap(of([0], [1]), { from: 0, to: 999, points: 10, stepMs: 3_600_000 })).toBe(3_600_000);
  });
});
