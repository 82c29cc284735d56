import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { WriteBatcher } from './batcher.js';

function settled(p: Promise<void>): { done: boolean; error?: unknown } {
  const s: { done: boolean; error?: unknown } = { done: false };
  p.then(
    () => (s.done = true),
    (err: unknown) => {
      s.done = true;
      s.error = err;
    },
  );
  return s;
}

describe('WriteBatcher', () => {
  it('holds rows until the interval, then writes every caller in one batch', async () => {
    const clock = new FakeClock(0);
    const batches: number[][] = [];
    const b = new WriteBatcher<number>({
      clock,
      flushIntervalMs: 50,
      maxBatch: 100,
      write: (xs) => batches.push(xs),
    });
    const a = settled(b.add([1, 2]));
    await clock.advance(20);
    const c = settled(b.add([3]));
    await clock.advance(29);
    expect(a.done || c.done).toBe(false);
    expect(b.pending).toBe(3);
    await clock.advance(1);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(a).toEqual({ done: true });
    expect(c).toEqual({ done: true });
    expect(b.batches).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('writes at once when a batch reaches maxBatch', async () => {
    const clock = new FakeClock(0);
    const batches: number[][] = [];
    const b = new WriteBatcher<number>({
      clock,
      flushIntervalMs: 1000,
      maxBatch: 3,
      write: (xs) => batches.push(xs),
    });
    const first = b.add([1, 2]);
    await b.add([3, 4]);
    await first;
    expect(batches).toEqual([[1, 2, 3, 4]]);
    expect(clock.pending).toBe(0);
  });

  it('rejects every caller of a failed batch and goes on with the next one', async () => {
    const clock = new FakeClock(0);
    let fail = true;
    const b = new WriteBatcher<number>({
      clock,
      flushIntervalMs: 10,
      maxBatch: 100,
      write: () => {
        if (fail) throw new Error('disk full');
      },
    });
    const x = settled(b.add([1]));
    const y = settled(b.add([2]));
    await clock.advance(10);
    expect((x.error as Error).message).toBe('disk full');
    expect((y.error as Error).message).toBe('disk full');
    fail = false;
    const z = settled(b.add([3]));
    await clock.advance(10);
    expect(z).toEqual({ done: true });
  });

  it('resolves an empty add without scheduling anything', async () => {
    const clock = new FakeClock(0);
    const b = new WriteBatcher<number>({ clock, flushIntervalMs: 10, maxBatch: 100, write: () => undefined });
    await b.add([]);
    expect(clock.pending).toBe(0);
  });
});
