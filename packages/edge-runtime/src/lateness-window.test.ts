import { describe, expect, it } from 'vitest';
import { RecentWindow } from './lateness-window.js';

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
