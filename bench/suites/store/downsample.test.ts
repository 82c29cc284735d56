import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample.js';

describe('downsampleMinMax', () => {
  it('keeps at most n points and every extreme of the series', () => {
    const ts = Array.from({ length: 10_000 }, (_, i) => i * 1000);
    const values = ts.map((_, i) => Math.sin(i / 100));
    values[1234] = 50;
    values[8765] = -50;
    const d = downsampleMinMax(ts, values, 1000);
    expect(d.ts.length).toBeLessThanOrEqual(1000);
    expect(d.ts.length).toBeGreaterThanOrEqual(500); // monotonic stretches need only first and last
    expect(Math.max(...d.value)).toBe(50);
    expect(Math.min(...d.value)).toBe(-50);
    expect(d.ts).toEqual([...d.ts].sort((a, b) => a - b));
    expect(d.ts[0]).toBe(0);
    expect(d.ts.at(-1)).toBe(9_999_000);
  });

  it('leaves gaps as gaps and skips non-numbers', () => {
    const d = downsampleMinMax([0, 1, 2, 100, 101], [1, null, 3, 4, Number.NaN], 8);
    expect(d).toEqual({ ts: [0, 2, 100], value: [1, 3, 4] });
  });
});
