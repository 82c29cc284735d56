import { describe, expect, it } from 'vitest';
import { quantileSorted, summarize } from './stats.js';

describe('quantileSorted (nearest rank)', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns the smallest sample with at least q of the samples at or below it', () => {
    expect(quantileSorted(hundred, 0.5)).toBe(50);
    expect(quantileSorted(hundred, 0.99)).toBe(99);
    expect(quantileSorted(hundred, 0.999)).toBe(100);
    expect(quantileSorted(hundred, 0.991)).toBe(100);
  });

  it('never interpolates between samples', () => {
    expect(quantileSorted([1, 10], 0.5)).toBe(1);
    expect(quantileSorted([1, 10], 0.51)).toBe(10);
  });

  it('handles the ends and the empty set', () => {
    expect(quantileSorted(hundred, 0)).toBe(1);
    expect(quantileSorted(hundred, 1)).toBe(100);
    expect(quantileSorted([], 0.99)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts numerically (not as strings) and only looks at the recorded prefix', () => {
    const samples = new Float64Array([10, 9, 100, 2, 0, 0]);
    const s = summarize(samples, 4);
    expect(s).toMatchObject({ count: 4, p50: 9, max: 100, mean: 30.25 });
    expect(samples[0]).toBe(10);
  });
});
