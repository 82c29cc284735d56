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
  /**
   * The partial aggregate as JSON-safe data, so a window checkpoint holds one small state per
   * group rather than its rows. Absent on (custom) aggregates that cannot; the runtime then keeps
   * rows instead.
   */
  save?(): unknown;
  /**
   * Folds in a saved state of values that came *before* this state's (a checkpoint restored into
   * a window that already took new messages). Throws on data `save` could not have produced.
   */
  merge?(earlier: unknown): void;
}

function corrupt(name: string, data: unknown): never {
  throw new EvalFault(`${name}: saved aggregate state ${show(data)} is not valid`);
}

function finiteNumbers(name: string, data: unknown, length?: number): number[] {
  if (
    !Array.isArray(data) ||
    (length !== undefined && data.length !== length) ||
    !data.every((x) => typeof x === 'number' && Number.isFinite(x))
  ) {
    corrupt(name, data);
  }
  return data as number[];
}

/** A value-or-nothing slot as JSON: `[]` for nothing (JSON has no undefined), `[v]` otherwise. */
function optional(name: string, data: unknown): unknown {
  if (!Array.isArray(data) || data.length > 1) corrupt(name, data);
  return data.length === 0 ? undefined : (data[0] as unknown);
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

  save(): [number, number, number] {
    return [this.#n, this.#mean, this.#m2];
  }

  /** Chan et al.'s pairwise combination of two Welford states. */
  merge(earlier: unknown): void {
    const [n, mean, m2] = finiteNumbers(this.#name, earlier, 3) as [number, number, number];
    if (n === 0) return;
    const total = this.#n + n;
    const d = this.#mean - mean;
    this.#m2 += m2 + (d * d * n * this.#n) / total;
    this.#mean = mean + (d * this.#n) / total;
    this.#n = total;
  }
}

/** Keeps the values; median and percentiles need them all (windows are bounded). */
class Quantile implements AggregateState {
  #values: number[] = [];
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

  save(): number[] {
    return this.#values;
  }

  merge(earlier: unknown): void {
    this.#values = [...finiteNumbers(this.#name, earlier), ...this.#values];
  }
}

/** How a reducer's accumulator is checkpointed: to JSON, and folded with an earlier one. */
interface ReducerCodec<T> {
  save(acc: T): unknown;
  merge(earlier: unknown, acc: T): T;
}

function reducer<T>(
  init: T,
  step: (acc: T, v: unknown) => T,
  done: (acc: T) => unknown,
  codec: ReducerCodec<T>,
): () => AggregateState {
  return () => {
    let acc = init;
    return {
      add(v: unknown) {
        if (!isNullish(v)) acc = step(acc, v);
      },
      result: () => done(acc),
      save: () => codec.save(acc),
      merge(earlier: unknown) {
        acc = codec.merge(earlier, acc);
      },
    };
  };
}

/** Codec of a value-or-nothing accumulator; `pick` chooses between the earlier and current value. */
function slot(name: string, pick: (earlier: unknown, current: unknown) => unknown): ReducerCodec<unknown> {
  return {
    save: (acc) => (acc === undefined ? [] : [acc]),
    merge: (data, acc) => {
      const earlier = optional(name, data);
      if (earlier === undefined) return acc;
      return acc === undefined ? earlier : pick(earlier, acc);
    },
  };
}

function extreme(name: string, sign: 1 | -1): () => AggregateState {
  const step = (best: unknown, v: unknown): unknown => {
    if (best === undefined) return v;
    const c = order(v, best);
    if (c === undefined) throw new EvalFault(`${name} cannot compare ${show(v)} with ${show(best)}`);
    return c * sign > 0 ? v : best;
  };
  return reducer<unknown>(undefined, step, (best) => best ?? null, slot(name, step));
}

const counter: ReducerCodec<number> = {
  save: (n) => n,
  merge: (data, n) => n + finiteNumbers('count', [data], 1)[0]!,
};

const summer: ReducerCodec<number | null> = {
  save: (s) => s,
  merge: (data, s) => (data === null ? s : (s ?? 0) + finiteNumbers('sum', [data], 1)[0]!),
};

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
        counter,
      )(),
    { star: true },
  ),
  sum: agg(1, 1, () =>
    reducer<number | null>(
      null,
      (s, v) => (s ?? 0) + numeric('sum', v),
      (s) => s,
      summer,
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
        slot('first', (earlier) => earlier),
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
        slot('last', (_earlier, current) => current),
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
        {
          save: (xs) => xs,
          merge: (data, xs) =>
            Array.isArray(data) ? [...(data as unknown[]), ...xs] : corrupt('collect', data),
        },
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
