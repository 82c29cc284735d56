import { describe, expect, it } from 'vitest';
import type { SampleRow } from '@watershed/store';
import { IntervalTracker } from './interval-tracker.js';

const row = (point: string, ts: number): SampleRow => ({ point, ts, value: 1, quality: 'good' });

describe('IntervalTracker', () => {
  it('learns each point its own interval from the feed, and stops listening on close', () => {
    let listener: ((rows: readonly SampleRow[]) => void) | undefined;
    const tracker = new IntervalTracker({
      subscribe: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    });
    listener!([row('a', 0), row('b', 0)]);
    expect(tracker.intervalOf('a')).toBeUndefined();
    for (let i = 1; i <= 10; i++)
      listener!([row('a', i * 1000), ...(i % 5 === 0 ? [row('b', i * 1000)] : [])]);
    expect(tracker.intervalOf('a')).toBe(1000);
    expect(tracker.intervalOf('b')).toBe(5000);
    tracker.close();
    expect(listener).toBeUndefined();
  });

  it('is moved little by one late sample and not at all by a replayed one', () => {
    const tracker = new IntervalTracker();
    for (let i = 0; i <= 20; i++) tracker.observe([row('a', i * 1000)]);
    tracker.observe([row('a', 5000)]); // replayed from the edge buffer
    expect(tracker.intervalOf('a')).toBe(1000);
    tracker.observe([row('a', 29_000)]); // 9 s late
    expect(tracker.intervalOf('a')).toBe(2000);
  });
});
