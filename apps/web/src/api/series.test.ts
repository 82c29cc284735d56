import { describe, expect, it } from 'vitest';
import { rollupsToSamples, type Rollup } from './series.js';

const r = (over: Partial<Rollup>): Rollup => ({
  ts: 60_000,
  width: 60_000,
  count: 60,
  bad: 0,
  numeric: 60,
  min: 1,
  max: 3,
  avg: 2,
  last: 2.5,
  lastTs: 119_000,
  lastQuality: 'good',
  ...over,
});

describe('rollupsToSamples', () => {
  it('plots the average at the middle of the bucket', () => {
    expect(rollupsToSamples([r({})])).toEqual([{ ts: 90_000, value: 2, quality: 'good' }]);
  });

  it('marks partly bad buckets uncertain and empty ones as gaps', () => {
    expect(
      rollupsToSamples([r({ bad: 3 }), r({ numeric: 0, avg: null, bad: 60 })]).map((s) => s.quality),
    ).toEqual(['uncertain', 'bad']);
  });

  it('keeps an on/off point on/off', () => {
    expect(rollupsToSamples([r({ avg: 0.7, last: true })])[0]).toEqual({
      ts: 90_000,
      value: true,
      quality: 'good',
    });
  });
});
