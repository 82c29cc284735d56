import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS } from '../format/format.js';
import { problemOf } from './problems.js';

describe('problemOf', () => {
  const now = 1_000_000_000;
  it('flags missing, bad, uncertain and stale values, in that order of severity', () => {
    expect(problemOf(undefined, now)).toBe('no-value');
    expect(problemOf({ ts: now - 2 * STALE_AFTER_MS, value: null, quality: 'bad' }, now)).toBe('bad');
    expect(problemOf({ ts: now, value: 1, quality: 'uncertain' }, now)).toBe('uncertain');
    expect(problemOf({ ts: now - STALE_AFTER_MS - 1, value: 1, quality: 'good' }, now)).toBe('stale');
    expect(problemOf({ ts: now - 1000, value: 1, quality: 'good' }, now)).toBeUndefined();
  });
});
