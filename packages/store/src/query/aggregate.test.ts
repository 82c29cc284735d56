import { describe, expect, it } from 'vitest';
import { BucketFolder, type Contribution } from './aggregate.js';

function sample(ts: number, value: number, quality: Contribution['lastQuality'] = 'good'): Contribution {
  const numeric = quality === 'bad' ? 0 : 1;
  return {
    ts,
    count: 1,
    bad: quality === 'bad' ? 1 : 0,
    numeric,
    sum: numeric ? value : 0,
    min: numeric ? value : null,
    max: numeric ? value : null,
    lastTs: ts,
    last: value,
    lastQuality: quality,
  };
}

describe('BucketFolder', () => {
  it('folds contributions into epoch-aligned buckets, leaving empty ones out', () => {
    const f = new BucketFolder(100);
    for (const c of [sample(5, 1), sample(50, 3), sample(99, 9, 'bad'), sample(350, 4)]) f.add(c);
    expect(f.finish()).toEqual([
      {
        ts: 0,
        count: 3,
        bad: 1,
        numeric: 2,
        min: 1,
        max: 3,
        avg: 2,
        last: 9,
        lastTs: 99,
        lastQuality: 'bad',
      },
      {
        ts: 300,
        count: 1,
        bad: 0,
        numeric: 1,
        min: 4,
        max: 4,
        avg: 4,
        last: 4,
        lastTs: 350,
        lastQuality: 'good',
      },
    ]);
  });

  it('folds coarser contributions (rollup buckets) by their own last, and floors pre-1970 times', () => {
    const f = new BucketFolder(1000);
    f.add({ ...sample(-1000, 2), count: 10, numeric: 10, sum: 20, min: 1, max: 3, lastTs: -100 });
    f.add({ ...sample(-500, 7), lastTs: -600 });
    const [b] = f.finish();
    expect(b).toMatchObject({
      ts: -1000,
      count: 11,
      numeric: 11,
      min: 1,
      max: 7,
      avg: 27 / 11,
      last: 2,
      lastTs: -100,
    });
  });

  it('gives an all-bad bucket no average', () => {
    const f = new BucketFolder(10);
    f.add(sample(1, 5, 'bad'));
    expect(f.finish()[0]).toMatchObject({ numeric: 0, min: null, max: null, avg: null, last: 5 });
  });
});
