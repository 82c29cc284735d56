import { describe, expect, it } from 'vitest';
import { pickAggregateTier, pickDownsampleTier } from './tiers.js';

const DAY = 86_400_000;

describe('pickDownsampleTier', () => {
  it('reads raw while the range holds at most 4 samples per point, then 1m, then 1h', () => {
    const day = { from: 0, to: DAY - 1, points: 1000 };
    expect(pickDownsampleTier({ ...day, rawRows: 4000 })).toBe('raw');
    expect(pickDownsampleTier({ ...day, rawRows: 86_400 })).toBe('1m');
    expect(pickDownsampleTier({ from: 0, to: 30 * DAY, points: 1000, rawRows: 2_592_000 })).toBe('1h');
    // Sparse data: a year of hourly polls is 8,760 rows, fewer than a year of minutes.
    expect(pickDownsampleTier({ from: 0, to: 365 * DAY, points: 1000, rawRows: 8760 })).toBe('1h');
    expect(pickDownsampleTier({ from: 0, to: 365 * DAY, points: 3000, rawRows: 8760 })).toBe('raw');
  });

  it('skips a tier whose retention no longer holds `from`', () => {
    expect(
      pickDownsampleTier({ from: 0, to: DAY, points: 1000, rawRows: 10, keptFrom: { raw: DAY / 2 } }),
    ).toBe('1m');
    expect(
      pickDownsampleTier({ from: 0, to: DAY, points: 1000, rawRows: 10, keptFrom: { raw: 1, '1m': 1 } }),
    ).toBe('1h');
  });
});

describe('pickAggregateTier', () => {
  it('is the coarsest tier whose width divides the bucket', () => {
    expect(pickAggregateTier(DAY)).toBe('1h');
    expect(pickAggregateTier(15 * 60_000)).toBe('1m');
    expect(pickAggregateTier(90 * 60_000)).toBe('1m');
    expect(pickAggregateTier(20_000)).toBe('raw');
  });
});
