import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { registerSteps, volumeIn } from './registers.js';
import { HOUR_MS } from './time.js';

const T0 = Date.UTC(2026, 10, 1);
const reads = (...values: (number | null)[]): Sample[] =>
  values.map((v, i) =>
    v === null
      ? { ts: T0 + i * HOUR_MS, value: null, quality: 'bad' }
      : { ts: T0 + i * HOUR_MS, value: v, quality: 'good' },
  );

describe('registerSteps', () => {
  it('reads forward steps and skips bad readings', () => {
    const steps = registerSteps(reads(100, 100.5, null, 101.25));
    expect(steps.map((s) => [s.kind, s.volume])).toEqual([
      ['forward', 0.5],
      ['forward', 0.75],
    ]);
    expect(steps[1]).toMatchObject({ from: T0 + HOUR_MS, to: T0 + 3 * HOUR_MS });
  });

  it('counts through a rollover of a 5-digit register, inferred or given', () => {
    expect(registerSteps(reads(99_999.2, 0.6))[0]).toMatchObject({ kind: 'rollover' });
    expect(registerSteps(reads(99_999.2, 0.6))[0]!.volume).toBeCloseTo(1.4, 9);
    // A 4-digit register given explicitly: 9 999 → 3 is a rollover, not a replacement.
    const given = registerSteps(reads(9_998, 3), { capacityM3: 10_000 })[0]!;
    expect(given).toMatchObject({ kind: 'rollover', volume: 5 });
  });

  it('takes a restart near zero without passing capacity as a meter replacement', () => {
    const [step] = registerSteps(reads(1_234.5, 0.8));
    expect(step).toMatchObject({ kind: 'reset', before: 1_234.5, after: 0.8, volume: 0.8 });
  });

  it('reports an unexplained drop as reverse flow with its negative volume', () => {
    const [step] = registerSteps(reads(500, 499.4));
    expect(step?.kind).toBe('reverse');
    expect(step?.volume).toBeCloseTo(-0.6, 9);
    // A young register dropping a little is still water running back, not a new meter.
    expect(registerSteps(reads(2.43, 1.44))[0]?.kind).toBe('reverse');
  });

  it('orders readings and keeps the last of a repeated timestamp', () => {
    const s: Sample[] = [
      { ts: T0 + HOUR_MS, value: 12, quality: 'good' },
      { ts: T0, value: 10, quality: 'good' },
      { ts: T0 + HOUR_MS, value: 11, quality: 'good' },
    ];
    expect(registerSteps(s).map((x) => x.volume)).toEqual([1]);
  });
});

describe('volumeIn', () => {
  it('shares a step across the period boundary by time', () => {
    // 6 m³ between 0 h and 6 h; the period [2 h, 5 h) gets half.
    const steps = registerSteps([
      { ts: T0, value: 10, quality: 'good' },
      { ts: T0 + 6 * HOUR_MS, value: 16, quality: 'good' },
    ]);
    expect(volumeIn(steps, T0 + 2 * HOUR_MS, T0 + 5 * HOUR_MS)).toEqual({
      volume: 3,
      coveredMs: 3 * HOUR_MS,
    });
    expect(volumeIn(steps, T0 + 6 * HOUR_MS, T0 + 9 * HOUR_MS)).toEqual({ volume: 0, coveredMs: 0 });
  });
});
