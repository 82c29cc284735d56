import { describe, expect, it } from 'vitest';
import type { Rollup } from '../api/series.js';
import { rebucket, rollupLimit, rowsOf, serverBucket, tableRows } from './explorer-data.js';

const MIN = 60_000;

function rollup(ts: number, avg: number | null, over: Partial<Rollup> = {}): Rollup {
  return {
    ts,
    width: MIN,
    count: 2,
    bad: 0,
    numeric: avg === null ? 0 : 2,
    min: avg === null ? null : avg - 1,
    max: avg === null ? null : avg + 1,
    avg,
    last: avg,
    lastTs: ts + 30_000,
    lastQuality: avg === null ? 'bad' : 'good',
    ...over,
  };
}

describe('rebucket', () => {
  it('merges minute rollups into aligned 15-minute buckets with weighted means', () => {
    const t0 = 15 * MIN * 1000; // aligned
    const rs = [
      rollup(t0, 10),
      rollup(t0 + MIN, 20, { numeric: 6, count: 6, min: 5, max: 40 }),
      rollup(t0 + 2 * MIN, null, { count: 1, bad: 1 }),
      rollup(t0 + 15 * MIN, 7),
    ];
    const out = rebucket(rs, 15 * MIN);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      ts: t0,
      width: 15 * MIN,
      count: 9,
      bad: 1,
      numeric: 8,
      min: 5,
      max: 40,
      avg: (10 * 2 + 20 * 6) / 8,
      // The latest bucket's last sample, even when it was bad.
      last: null,
      lastQuality: 'bad',
      lastTs: t0 + 2 * MIN + 30_000,
    });
    expect(out[1]).toMatchObject({ ts: t0 + 15 * MIN, avg: 7, count: 2 });
  });

  it('aligns daily buckets to the viewer’s midnight', () => {
    const h = 3_600_000;
    const offset = 8 * h; // UTC+8: local midnight is 16:00 UTC
    const midnightUtc = 20_000 * 24 * h;
    const rs = [rollup(midnightUtc + 15 * h, 1), rollup(midnightUtc + 16 * h, 3)];
    const out = rebucket(rs, 24 * h, offset);
    expect(out.map((r) => r.ts)).toEqual([midnightUtc - 8 * h, midnightUtc + 16 * h]);
  });

  it('a bucket with no numeric sample has no mean', () => {
    expect(rebucket([rollup(0, null), rollup(MIN, null)], 15 * MIN)[0]?.avg).toBeNull();
  });
});

describe('rows', () => {
  it('marks empty buckets bad and partly bad ones uncertain', () => {
    const rows = rowsOf({
      id: 'p',
      resolution: '1m',
      truncated: false,
      rollups: [rollup(0, 5), rollup(MIN, 6, { bad: 1, count: 3 }), rollup(2 * MIN, null)],
    });
    expect(rows.map((r) => [r.value, r.quality])).toEqual([
      [5, 'good'],
      [6, 'uncertain'],
      [null, 'bad'],
    ]);
    expect(rows[0]).toMatchObject({ min: 4, max: 6, count: 2, bad: 0 });
  });

  it('an on/off point’s bucket shows its last state, not a fraction', () => {
    const rows = rowsOf({
      id: 'p',
      resolution: '1h',
      truncated: false,
      rollups: [rollup(0, 0.7, { last: true })],
    });
    expect(rows[0]?.value).toBe(true);
  });

  it('joins series into table lines by equal instants only', () => {
    const lines = tableRows([
      {
        id: 'a',
        resolution: 'raw',
        truncated: false,
        samples: [
          { ts: 2, value: 1, quality: 'good' },
          { ts: 1, value: 0, quality: 'bad', reason: 'timeout' },
        ],
      },
      { id: 'b', resolution: 'raw', truncated: false, samples: [{ ts: 2, value: 9, quality: 'good' }] },
    ]);
    expect(lines.map((l) => [l.ts, [...l.cells.keys()]])).toEqual([
      [1, ['a']],
      [2, ['a', 'b']],
    ]);
    expect(lines[0]?.cells.get('a')).toEqual({ ts: 1, value: 0, quality: 'bad', reason: 'timeout' });
  });

  it('reads 15 min and 1 d from the tiers the server keeps, asking for every bucket', () => {
    expect(['raw', '1m', '15m', '1h', '1d'].map((r) => serverBucket(r as never))).toEqual([
      'raw',
      '1m',
      '1m',
      '1h',
      '1h',
    ]);
    expect(rollupLimit('15m', 0, 24 * 3_600_000)).toBe(1442);
    expect(rollupLimit('1m', 0, 365 * 24 * 3_600_000)).toBe(100_000);
  });
});
