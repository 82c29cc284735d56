import { describe, expect, it } from 'vitest';
import { partitionName, partitionRange } from './partitions.js';

const DAY = 86_400_000;

describe('partitionRange', () => {
  it('cuts UTC days, ISO weeks (Monday to Monday) and calendar months', () => {
    const ts = Date.UTC(2026, 10, 27, 23, 59, 59, 999); // Friday 2026-11-27
    expect(partitionRange('day', ts)).toEqual([Date.UTC(2026, 10, 27), Date.UTC(2026, 10, 28)]);
    expect(partitionRange('week', ts)).toEqual([Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 30)]);
    expect(partitionRange('month', ts)).toEqual([Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1)]);
    expect(partitionRange('month', Date.UTC(2026, 11, 31))).toEqual([
      Date.UTC(2026, 11, 1),
      Date.UTC(2027, 0, 1),
    ]);
  });

  it('puts each bound in exactly one partition, before 1970 too', () => {
    for (const span of ['day', 'week', 'month'] as const) {
      for (const ts of [-DAY - 1, -1, 0, 1, Date.UTC(2026, 10, 23)]) {
        const [lo, hi] = partitionRange(span, ts);
        expect(lo).toBeLessThanOrEqual(ts);
        expect(ts).toBeLessThan(hi);
        expect(partitionRange(span, hi)[0]).toBe(hi);
      }
    }
    expect(new Date(partitionRange('week', 0)[0]).getUTCDay()).toBe(1);
  });

  it('names partitions by their UTC start date', () => {
    expect(partitionName(Date.UTC(2026, 10, 23))).toBe('samples_20261123');
    expect(partitionName(-DAY)).toBe('samples_19691231');
  });
});
