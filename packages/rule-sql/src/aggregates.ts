import { EvalFault } from './errors.js';
import type { AggregateFunctionDef, FunctionTable, LiteralArg } from './functions/registry.js';
import { isNullish, order, requireNumber, show, typeName } from './values.js';

/**
 * Pure, clock-free aggregate state for window groups: the rule engine creates one state per
 * aggregate per group and window, feeds it each row's argument value, and reads the result when
 * the window fires. Nulls are skipped by every aggregate (SQL semantics); `count(*)` counts rows.
 */
export interface AggregateState {
  add(value: unknown): void;
  result(): unknown;
}

function numeric(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new EvalFault(`${name} expects numbers, got ${typeName(v)} ${show(v)}`);
  return v;
}

/** Welford's online algorithm: numerically stable mean and variance in one pass. */
class Moments implements AggregateState {
  #n = 0;
  #mean = 0;
  #m2 = 0;
  readonly #name: string;
  readonly #pick: (n: number, mean: number, m2: number) => number | null;

  constructor(name: string, pick: (n: number, mean: number, m2: number) => number | null) {
    this.#name = name;
    this.#pick = pick;
  }

  add(value: unknown): void {
    if (isNullish(value)) return;
    const x = numeric(this.#name, value);
    this.#n++;
    const d = x - this.#mean;
    this.#mean += d / this.#n;
    this.#m2 += d * (x - this.#mean);
  }

  result(): number | null {
    return this.#n === 0 ? null : this.#pick(this.#n, this.#mean, this.#m2);
  }
}

/** Keeps the values; median and percentiles need them all (windows are bounded). */
class Quantile implements AggregateState {
  readonly #values: number[] = [];
  readonly #name: string;
  readonly #p: number;

  constructor(name: string, p: number) {
    this.#name = name;
    this.#p = p;
  }

  add(value: unknown): void {
    if (!isNullish(value)) this.#values.push(numeric(this.#name, value));
  }

  /** Linear interpolation between closest ranks (eKuiper percentile_cont, numpy's default). */
  result(): number | null {
    const n = this.#values.length;
    if (n === 0) return null;
    const sorted = [...this.#values].sort((a, b) => a - b);
    const rank = this.#p * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
  }
}

function reducer<T>(
  init: T,
  step: (acc: T, v: unknown) => T,
  done: (acc: T) => unknown,
): () => AggregateState {
  return () => {
    let acc = init;
    return {
      add(v: unknown) {
        if (!isNullish(v)) acc = step(acc, v);
      },
      result: () => done(acc),
    };
  };
}

function extreme(name: string, sign: 1 | -1): () => AggregateState {
  return reducer<unknown>(
    undefined,
    (best, v) => {
      if (best === undefined) return v;
      const c = order(v, best);
      if (c === undefined) throw new EvalFault(`${name} cannot compare ${show(v)} with ${show(best)}`);
      return c * sign > 0 ? v : best;
    },
    (best) => best ?? null,
  );
}

function agg(
  valueArgs: number,
  maxArgs: number,
  create: (params: readonly unknown[]) => AggregateState,
  extra: Partial<Pick<AggregateFunctionDef, 'star' | 'validate' | 'returns'>> = {},
): AggregateFunctionDef {
  return { kind: 'aggregate', minArgs: valueArgs, maxArgs, valueArgs, returns: 'number', create, ...extra };
}

const validateP = (lits: readonly LiteralArg[]): string | undefined => {
  const p = lits[1];
  if (p === undefined) return 'percentile needs a constant fraction p in [0, 1]';
  return typeof p === 'number' && p >= 0 && p <= 1
    ? undefined
    : `percentile p must be a number in [0, 1], got ${String(p)}`;
};

export const aggregateFunctions: FunctionTable = {
  count: agg(
    1,
    1,
    () =>
      reducer(
        0,
        (n) => n + 1,
        (n) => n,
      )(),
    { star: true },
  ),
  sum: agg(1, 1, () =>
    reducer<number | null>(
      null,
      (s, v) => (s ?? 0) + numeric('sum', v),
      (s) => s,
    )(),
  ),
  avg: agg(1, 1, () => new Moments('avg', (_n, mean) => mean)),
  min: agg(1, 1, () => extreme('min', -1)(), { returns: 'any' }),
  max: agg(1, 1, () => extreme('max', 1)(), { returns: 'any' }),
  first: agg(
    1,
    1,
    () =>
      reducer<unknown>(
        undefined,
        (f, v) => (f === undefined ? v : f),
        (f) => f ?? null,
      )(),
    { returns: 'any' },
  ),
  last: agg(
    1,
    1,
    () =>
      reducer<unknown>(
        undefined,
        (_l, v) => v,
        (l) => l ?? null,
      )(),
    { returns: 'any' },
  ),
  /** Population standard deviation (eKuiper `stddev`); `stddevs` is the sample one. */
  stddev: agg(1, 1, () => new Moments('stddev', (n, _m, m2) => Math.sqrt(m2 / n))),
  stddevs: agg(1, 1, () => new Moments('stddevs', (n, _m, m2) => (n < 2 ? null : Math.sqrt(m2 / (n - 1))))),
  var: agg(1, 1, () => new Moments('var', (n, _m, m2) => m2 / n)),
  vars: agg(1, 1, () => new Moments('vars', (n, _m, m2) => (n < 2 ? null : m2 / (n - 1)))),
  median: agg(1, 1, () => new Quantile('median', 0.5)),
  percentile: agg(1, 2, (params) => new Quantile('percentile', requireNumber(params[0], 'percentile p')), {
    validate: validateP,
  }),
  collect: agg(
    1,
    1,
    () =>
      reducer<unknown[]>(
        [],
        (xs, v) => (xs.push(v), xs),
        (xs) => xs,
      )(),
    { returns: 'array' },
  ),
};

/** A fresh state for a builtin aggregate, e.g. `createAggregateState('percentile', [0.9])`. */
export function createAggregateState(name: string, params: readonly unknown[] = []): AggregateState {
  const def = aggregateFunctions[name];
  if (def?.kind !== 'aggregate') throw new Error(`unknown aggregate ${name}`);
  return def.create(params);
}
