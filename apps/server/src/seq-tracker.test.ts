import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker.js';

describe('SeqTracker', () => {
  it('counts gaps, duplicates and restarts per group', () => {
    const t = new SeqTracker();
    const seen = [0, 1, 2, 5, 3, 6, 0, 1].map((s) => t.observe('a', s));
    expect(seen).toEqual([true, true, true, true, false, true, true, true]);
    expect(t.stats()['a']).toEqual({ lastSeq: 1, messages: 8, missing: 2, duplicates: 1, restarts: 1 });
    t.observe('b', 10);
    expect(t.stats()['b']).toMatchObject({ lastSeq: 10, missing: 0 });
  });
});
