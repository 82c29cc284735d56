import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.js';

describe('token bucket', () => {
  it('allows a burst of one second, then asks for the time the debt takes to repay', () => {
    const b = new TokenBucket(100, 0);
    expect(b.take(100, 0)).toBe(0);
    expect(b.take(50, 0)).toBe(500);
    expect(b.take(0, 500)).toBe(0);
    expect(b.take(10, 500)).toBe(100);
  });

  it('caps saved-up credit at one second', () => {
    const b = new TokenBucket(10, 0);
    expect(b.take(20, 60_000)).toBe(1000);
  });
});
