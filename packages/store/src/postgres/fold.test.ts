import { describe, expect, it } from 'vitest';
import { encodeSample } from '../embedded/codec.js';
import type { SampleRow } from '../types.js';
import { foldBatch, newestPerPoint, type StagedSample } from './fold.js';

const M = 60_000;

function staged(pid: number, row: Omit<SampleRow, 'point'>): StagedSample {
  return { pid, ts: row.ts, ...encodeSample({ point: 'a.b.c.d', ...row }) };
}

describe('foldBatch', () => {
  it('aggregates per point and bucket as the SQL fold does: bad, strings, NaN and null left out of min/max/sum', () => {
    const rows = [
      staged(1, { ts: 10, value: 5, quality: 'good' }),
      staged(1, { ts: 30, value: 1, quality: 'uncertain' }),
      staged(1, { ts: 20, value: 100, quality: 'bad' }),
      staged(1, { ts: 40, value: 'open', quality: 'good' }),
      staged(1, { ts: 45, value: Number.NaN, quality: 'good' }),
      staged(1, { ts: 50, value: true, quality: 'good' }),
      staged(1, { ts: 35, value: null, quality: 'good' }),
      staged(1, { ts: M + 1, value: 7, quality: 'good' }),
      staged(2, { ts: 5, value: -3, quality: 'good' }),
    ];
    const folds = foldBatch(rows, '1m');
    expect(folds).toHaveLength(3);
    expect(folds.find((f) => f.pid === 1 && f.bucket === 0)).toMatchObject({
      count: 7,
      bad: 1,
      n: 3,
      sum: 7,
      min: 1,
      max: 5,
      lastTs: 50,
      lastNum: 1,
      lastTxt: null,
    });
    expect(folds.find((f) => f.pid === 1 && f.bucket === M)).toMatchObject({
      count: 1,
      n: 1,
      sum: 7,
      lastTs: M + 1,
    });
    expect(folds.find((f) => f.pid === 2)).toMatchObject({ count: 1, min: -3, max: -3, lastNum: -3 });
    const hours = foldBatch(rows, '1h');
    expect(hours.find((f) => f.pid === 1)).toMatchObject({
      bucket: 0,
      count: 8,
      n: 4,
      sum: 14,
      max: 7,
      lastTs: M + 1,
    });
  });

  it('floors negative timestamps toward -∞, like bucketStart', () => {
    const [f] = foldBatch([staged(1, { ts: -1, value: 1, quality: 'good' })], '1m');
    expect(f?.bucket).toBe(-M);
  });

  it('leaves min and max null in a bucket without numeric samples', () => {
    const [f] = foldBatch([staged(1, { ts: 0, value: 'x', quality: 'good' })], '1m');
    expect(f).toMatchObject({ n: 0, sum: 0, min: null, max: null, lastTxt: 'x' });
  });
});

describe('newestPerPoint', () => {
  it('keeps the sample of the highest ts of each point, whatever the order', () => {
    const out = newestPerPoint([
      staged(1, { ts: 20, value: 2, quality: 'good' }),
      staged(1, { ts: 30, value: 3, quality: 'good' }),
      staged(2, { ts: 5, value: 9, quality: 'good' }),
      staged(1, { ts: 10, value: 1, quality: 'good' }),
    ]);
    expect(out.map((s) => [s.pid, s.ts, s.num])).toEqual([
      [1, 30, 3],
      [2, 5, 9],
    ]);
  });
});
