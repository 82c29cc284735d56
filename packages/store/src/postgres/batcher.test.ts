import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { AsyncBatcher } from './batcher.js';

/** A write the test completes or fails by hand. */
function controlledWrites() {
  const calls: { rows: number[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  const write = (rows: number[]): Promise<void> =>
    new Promise((resolve, reject) => calls.push({ rows, resolve, reject }));
  return { calls, write };
}

describe('AsyncBatcher', () => {
  it('waits flushIntervalMs for company, then writes everything gathered in one batch', async () => {
    const clock = new FakeClock();
    const { calls, write } = controlledWrites();
    const b = new AsyncBatcher<number>({ clock, flushIntervalMs: 10, maxBatch: 100, write });
    const p1 = b.add([1, 2]);
    const p2 = b.add([3]);
    await clock.advance(9);
    expect(calls).toHaveLength(0);
    expect(b.pending).toBe(3);
    await clock.advance(1);
    expect(calls.map((c) => c.rows)).toEqual([[1, 2, 3]]);
    expect(b.inflight).toBe(3);
    calls[0]?.resolve();
    await Promise.all([p1, p2]);
    expect(b.batches).toBe(1);
  });

  it('writes one batch at a time, sends what gathered behind it as soon as it settles, and fails only its callers', async () => {
    const clock = new FakeClock();
    const { calls, write } = controlledWrites();
    const b = new AsyncBatcher<number>({ clock, flushIntervalMs: 1000, maxBatch: 2, write });
    const first = b.add([1, 2]); // a full batch goes at once
    expect(calls.map((c) => c.rows)).toEqual([[1, 2]]);
    const second = b.add([3]);
    const third = b.add([4, 5]);
    expect(calls).toHaveLength(1); // still in flight: the rest waits
    calls[0]?.reject(new Error('db down'));
    await expect(first).rejects.toThrow('db down');
    await clock.advance(0);
    expect(calls.map((c) => c.rows)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    calls[1]?.resolve();
    await Promise.all([second, third]);
    expect(b.batches).toBe(1);
  });

  it('drain writes everything pending without waiting for the timer', async () => {
    const clock = new FakeClock();
    const b = new AsyncBatcher<number>({
      clock,
      flushIntervalMs: 60_000,
      maxBatch: 1000,
      write: () => Promise.resolve(),
    });
    const p = b.add([1]);
    await b.drain();
    await p;
    expect(b.pending).toBe(0);
    expect(b.batches).toBe(1);
    expect(clock.pending).toBe(0); // the flush timer was cancelled
  });
});
