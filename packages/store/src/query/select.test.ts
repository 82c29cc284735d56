import { describe, expect, it } from 'vitest';
import { selectLttb, selectMinMax } from './select.js';

function series(n: number, f: (i: number) => number): { ts: Float64Array; v: Float64Array } {
  const ts = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = 1_000_000 + i * 1000;
    v[i] = f(i);
  }
  return { ts, v };
}

describe('selectMinMax', () => {
  it('keeps every extreme, the first and the last, within budget and ascending', () => {
    const { ts, v } = series(86_400, (i) => Math.sin(i / 600) + (i === 40_000 ? 90 : i === 70_001 ? -90 : 0));
    const out: number[] = [];
    selectMinMax(ts, v, 0, ts.length, 1000, out);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.length).toBeGreaterThan(500);
    expect(out).toContain(40_000);
    expect(out).toContain(70_001);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(86_399);
    expect(out).toEqual([...out].sort((a, b) => a - b));
    expect(new Set(out).size).toBe(out.length);
  });

  it('returns a slice that fits whole, and selects only inside [start, end)', () => {
    const { ts, v } = series(10, (i) => i);
    const all: number[] = [];
    selectMinMax(ts, v, 2, 7, 8, all);
    expect(all).toEqual([2, 3, 4, 5, 6]);
    const few: number[] = [];
    selectMinMax(ts, v, 2, 10, 4, few);
    expect(few).toEqual([2, 9]); // one column of a monotonic slice: first = min, last = max
  });

  it('falls back to LTTB below one whole column', () => {
    const { ts, v } = series(100, (i) => i % 10);
    const out: number[] = [];
    selectMinMax(ts, v, 0, 100, 3, out);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(0);
    expect(out[2]).toBe(99);
  });
});

describe('selectLttb', () => {
  it('returns exactly the budget, first and last included, ascending', () => {
    const { ts, v } = series(5000, (i) => Math.sin(i / 50) * 10);
    const out: number[] = [];
    selectLttb(ts, v, 0, 5000, 100, out);
    expect(out).toHaveLength(100);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(4999);
    for (let k = 1; k < out.length; k++) expect(out[k]).toBeGreaterThan(out[k - 1] as number);
  });

  it('picks the sample that makes the largest triangle: a lone spike in a flat line', () => {
    const { ts, v } = series(1000, (i) => (i === 500 ? 100 : 0));
    const out: number[] = [];
    selectLttb(ts, v, 0, 1000, 10, out);
    expect(out).toContain(500);
  });

  it('handles budgets of 1 and 2', () => {
    const { ts, v } = series(10, (i) => i);
    const one: number[] = [];
    selectLttb(ts, v, 0, 10, 1, one);
    expect(one).toEqual([0]);
    const two: number[] = [];
    selectLttb(ts, v, 0, 10, 2, two);
    expect(two).toEqual([0, 9]);
  });
});
