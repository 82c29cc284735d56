import { describe, expect, it } from 'vitest';
import { parseInstant, resolveRange } from './time.js';

describe('parseInstant', () => {
  it('reads ms epoch and ISO-8601, taking zone-less times as UTC', () => {
    expect(parseInstant('from', '1764273600000')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27T20:00:00Z')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27T20:00:00.000Z')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27T21:00:00+01:00')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27T20:00')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27 20:00:00')).toBe(1_764_273_600_000);
    expect(parseInstant('from', '2025-11-27')).toBe(1_764_201_600_000);
  });

  it('names the parameter of anything else', () => {
    for (const bad of ['yesterday', '2025-13-45T99:00:00Z', '27/11/2025', '1e12', '']) {
      expect(() => parseInstant('to', bad)).toThrow(/^query parameter to: expected/);
    }
  });
});

describe('resolveRange', () => {
  const now = 10_000_000;
  it('defaults to the last hour and spans an hour from a lone bound', () => {
    expect(resolveRange({}, now)).toEqual({ from: now - 3_600_000, to: now });
    expect(resolveRange({ to: '5000000' }, now)).toEqual({ from: 5_000_000 - 3_600_000, to: 5_000_000 });
    expect(resolveRange({ from: '9000000' }, now)).toEqual({ from: 9_000_000, to: now });
  });
  it('rejects from after to, naming from', () => {
    expect(() => resolveRange({ from: '2', to: '1' }, now)).toThrow(
      /^query parameter from: must not be after to/,
    );
  });
});
