import { describe, expect, it } from 'vitest';
import { LatenessHistogram, RecentWindow, histogramPercentile } from './lateness-window.js';

describe('RecentWindow', () => {
  it('gives nearest-rank percentiles over the most recent values only', () => {
    const w = new RecentWindow(100);
    expect(w.percentile(50)).toBe(0);
    for (let i = 1; i <= 100; i++) w.add(i);
    expect(w.percentile(50)).toBe(50);
    expect(w.percentile(99)).toBe(99);
    expect(w.percentile(100)).toBe(100);
    for (let i = 0; i < 100; i++) w.add(1000); // the old values roll out
    expect(w.percentile(1)).toBe(1000);
  });
});

describe('LatenessHistogram', () => {
  it("counts into buckets whose difference gives a window's percentile bound", () => {
    const h = new LatenessHistogram();
    for (let i = 0; i < 98; i++) h.add(3);
    h.add(90);
    h.add(7000);
    const before = h.counts();
    expect(histogramPercentile(before, 50)).toBe(5);
    expect(histogramPercentile(before, 99)).toBe(90);
    expect(histogramPercentile(before, 100)).toBe(Infinity);
    for (let i = 0; i < 100; i++) h.add(12);
    const window = h.counts().map((n, i) => n - before[i]!);
    expect(histogramPercentile(window, 99)).toBe(15);
    expect(histogramPercentile([], 99)).toBe(0);
  });
});
