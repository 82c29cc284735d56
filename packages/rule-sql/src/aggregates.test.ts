import { describe, expect, it } from 'vitest';
import { createAggregateState } from './aggregates.js';
import { analyticFunctions } from './analytic.js';

function run(name: string, values: readonly unknown[], params: readonly unknown[] = []): unknown {
  const s = createAggregateState(name, params);
  for (const v of values) s.add(v);
  return s.result();
}

// The textbook set: mean 5, population variance 4, sum of squared deviations 32.
const xs = [2, 4, 4, 4, 5, 5, 7, 9];

describe('aggregate state', () => {
  it('count, sum, avg, min, max, first, last', () => {
    expect(run('count', xs)).toBe(8);
    expect(run('count', [1, null, undefined, 2])).toBe(2); // count(x) skips nulls
    expect(run('sum', xs)).toBe(40);
    expect(run('avg', xs)).toBe(5);
    expect(run('min', xs)).toBe(2);
    expect(run('max', xs)).toBe(9);
    expect(run('min', ['b', 'a', 'c'])).toBe('a');
    expect(run('first', [null, 3, 4])).toBe(3);
    expect(run('last', [3, 4, null])).toBe(4);
    expect(run('collect', [1, null, 2])).toEqual([1, 2]);
  });

  it('stddev (population) and stddevs (sample) against hand-computed values', () => {
    expect(run('stddev', xs)).toBeCloseTo(2, 12); // sqrt(32 / 8)
    expect(run('stddevs', xs)).toBeCloseTo(Math.sqrt(32 / 7), 12); // 2.1380899…
    expect(run('var', xs)).toBeCloseTo(4, 12);
    expect(run('vars', xs)).toBeCloseTo(32 / 7, 12);
    expect(run('stddevs', [5])).toBe(null);
  });

  it('Welford stays exact on large offsets where the naive formula cancels', () => {
    const big = xs.map((x) => x + 1e9);
    expect(run('stddev', big)).toBeCloseTo(2, 6);
  });

  it('median and percentile interpolate between closest ranks', () => {
    expect(run('median', xs)).toBe(4.5); // (4 + 5) / 2
    expect(run('median', [3, 1, 2])).toBe(2);
    expect(run('percentile', xs, [0.9])).toBeCloseTo(7.6, 12); // rank 6.3: 7 + 0.3 × (9 − 7)
    expect(run('percentile', xs, [0.25])).toBe(4); // rank 1.75 between 4 and 4
    expect(run('percentile', xs, [0])).toBe(2);
    expect(run('percentile', xs, [1])).toBe(9);
    expect(run('percentile', [10], [0.5])).toBe(10);
  });

  it('empty groups give null (count gives 0)', () => {
    for (const name of ['sum', 'avg', 'min', 'max', 'first', 'last', 'stddev', 'median'])
      expect(run(name, [])).toBe(null);
    expect(run('count', [])).toBe(0);
  });

  it('non-numbers in numeric aggregates are faults', () => {
    expect(() => run('sum', [1, 'x'])).toThrow('sum expects numbers, got string "x"');
    expect(() => run('avg', [true])).toThrow(/avg expects numbers/);
    expect(() => run('max', [1, 'a'])).toThrow(/cannot compare/);
  });

  it('states are independent', () => {
    const a = createAggregateState('sum');
    const b = createAggregateState('sum');
    a.add(1);
    b.add(10);
    expect([a.result(), b.result()]).toEqual([1, 10]);
  });
});

describe('analytic functions', () => {
  function series(name: string, calls: unknown[][]): unknown[] {
    const def = analyticFunctions[name];
    if (def?.kind !== 'analytic') throw new Error(name);
    const fn = def.create();
    return calls.map((args) => fn(args));
  }

  it('lag returns the value n messages back, or the default', () => {
    expect(series('lag', [[1], [2], [3]])).toEqual([null, 1, 2]);
    expect(
      series('lag', [
        [1, 2, 0],
        [2, 2, 0],
        [3, 2, 0],
        [4, 2, 0],
      ]),
    ).toEqual([0, 0, 1, 2]);
  });

  it('had_changed compares with the previous values, optionally ignoring nulls', () => {
    expect(
      series('had_changed', [
        [true, 1],
        [true, 1],
        [true, 2],
        [true, null],
        [true, 2],
      ]),
    ).toEqual([true, false, true, false, false]);
    expect(
      series('had_changed', [
        [false, 1],
        [false, null],
        [false, null],
      ]),
    ).toEqual([true, true, false]);
    expect(
      series('had_changed', [
        [true, 1, 'a'],
        [true, 1, 'b'],
      ]),
    ).toEqual([true, true]);
  });

  it('latest keeps the last non-null value', () => {
    expect(series('latest', [[null, 0], [5], [null]])).toEqual([0, 5, 5]);
  });
});

describe('aggregate checkpoints (save, then merge into a state that went on)', () => {
  const values = [3, null, -1.5, 8, 2, 2, 11, null, 0.25, 7];
  it.each([
    ['count', []],
    ['sum', []],
    ['avg', []],
    ['min', []],
    ['max', []],
    ['first', []],
    ['last', []],
    ['stddev', []],
    ['vars', []],
    ['median', []],
    ['percentile', [0.9]],
    ['collect', []],
  ])('%s: earlier half saved + later half = one pass', (name, params) => {
    const whole = createAggregateState(name, params);
    for (const v of values) whole.add(v);
    for (const cut of [0, 4, values.length]) {
      const earlier = createAggregateState(name, params);
      for (const v of values.slice(0, cut)) earlier.add(v);
      const saved = JSON.parse(JSON.stringify(earlier.save!())) as unknown;
      const later = createAggregateState(name, params);
      for (const v of values.slice(cut)) later.add(v);
      later.merge!(saved);
      const got = later.result();
      if (typeof got === 'number') expect(got).toBeCloseTo(whole.result() as number, 12);
      else expect(got).toEqual(whole.result());
    }
  });

  it('refuses a saved state it could not have written', () => {
    expect(() => createAggregateState('avg').merge!(['x', 1, 2])).toThrow(/not valid/);
    expect(() => createAggregateState('count').merge!('7')).toThrow(/not valid/);
    expect(() => createAggregateState('first').merge!({})).toThrow(/not valid/);
  });
});
