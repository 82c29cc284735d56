import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.js';

describe('TtlCache', () => {
  it('answers from the cache until the entry expires on the clock', async () => {
    const clock = new FakeClock(0);
    const cache = new TtlCache<number>(clock, 1000);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    expect(await cache.get('a', compute)).toBe(1);
    await clock.advance(999);
    expect(await cache.get('a', compute)).toBe(1);
    await clock.advance(1);
    expect(await cache.get('a', compute)).toBe(2);
    expect(await cache.get('b', compute)).toBe(3);
  });

  it('keeps no failure and no more than its bound', async () => {
    const cache = new TtlCache<string>(new FakeClock(0), 1000, 2);
    await expect(cache.get('x', () => Promise.reject(new Error('store closed')))).rejects.toThrow(
      'store closed',
    );
    expect(await cache.get('x', () => Promise.resolve('again'))).toBe('again');
    await cache.get('y', () => Promise.resolve('y'));
    await cache.get('z', () => Promise.resolve('z'));
    expect(await cache.get('x', () => Promise.resolve('recomputed'))).toBe('recomputed');
  });
});
