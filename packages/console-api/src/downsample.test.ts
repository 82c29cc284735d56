import { describe, expect, it } from 'vitest';
import type { Sample } from '@watershed/model';
import { downsampleSamples, mergeRollups } from './downsample.js';
import type { Rollup } from './schemas.js';

const s = (ts: number, value: Sample['value'], quality: Sample['quality'] = 'good'): Sample => ({
  ts,
  value,
  quality,
});

describe('downsampleSamples', () => {
  it('returns short series unchanged', () => {
    const rows = [s(0, 1), s(1, 2)];
    expect(downsampleSamples(rows, 0, 10, 10)).toEqual(rows);
  });

  it('keeps the minimum and maximum of each slice in time order, so spikes survive', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => s(i, Math.sin(i / 50)));
    rows[123] = s(123, 99); // spike
    rows[777] = s(777, -99); // dip
    const out = downsampleSamples(rows, 0, 999, 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toContainEqual(s(123, 99));
    expect(out).toContainEqual(s(777, -99));
    expect(out.map((r) => r.ts)).toEqual([...out.map((r) => r.ts)].sort((a, b) => a - b));
  });

  it('treats booleans as 0/1, skips bad values, and keeps a non-numeric slice by its first sample', () => {
    const rows = [
      s(0, false),
      s(1, true),
      s(2, 5, 'bad'),
      s(3, false),
      s(10, 'a'),
      s(11, null),
      s(12, 'b'),
      s(13, 'c'),
    ];
    expect(downsampleSamples(rows, 0, 19, 4)).toEqual([s(0, false), s(1, true), s(10, 'a')]);
  });
});

describe('mergeRollups', () => {
  const r = (ts: number, min: number, max: number, avg: number, numeric: number, last: number): Rollup => ({
    ts,
    width: 60_000,
    count: numeric + 1,
    bad: 1,
    numeric,
    min,
    max,
    avg,
    last,
    lastTs: ts + 59_000,
    lastQuality: 'good',
  });

  it('merges into aligned wider buckets with weighted averages', () => {
    const rows = [
      r(0, 1, 5, 3, 2, 4),
      r(60_000, 0, 2, 1, 2, 2),
      r(120_000, 7, 9, 8, 1, 9),
      r(180_000, 3, 3, 3, 1, 3),
    ];
    const out = mergeRollups(rows, 0, 239_999, 2);
    expect(out).toEqual([
      {
        ts: 0,
        width: 120_000,
        count: 6,
        bad: 2,
        numeric: 4,
        min: 0,
        max: 5,
        avg: 2,
        last: 2,
        lastTs: 119_000,
        lastQuality: 'good',
      },
      {
        ts: 120_000,
        width: 120_000,
        count: 4,
        bad: 2,
        numeric: 2,
        min: 3,
        max: 9,
        avg: 5.5,
        last: 3,
        lastTs: 239_000,
        lastQuality: 'good',
      },
    ]);
  });

  it('leaves few buckets alone', () => {
    const rows = [r(0, 1, 1, 1, 1, 1)];
    expect(mergeRollups(rows, 0, 59_999, 5)).toEqual(rows);
  });
});
