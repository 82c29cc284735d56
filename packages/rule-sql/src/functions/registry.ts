import type { AggregateState } from '../aggregates.js';

/** Static types the checker reasons about; `any` is compatible with everything. */
export type ValueType = 'any' | 'number' | 'string' | 'bool' | 'array' | 'object' | 'null';

/** What a function may use besides its arguments; time comes from the injected clock. */
export interface FnEnv {
  now(): number;
}

/** A literal argument as seen at compile time (`undefined` when the argument is not a literal). */
export type LiteralArg = string | number | boolean | null | undefined;

interface BaseDef {
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** Declared type per position; the last entry repeats for variadic tails. */
  readonly args?: readonly ValueType[];
  readonly returns: ValueType;
  /** Compile-time check of literal arguments (e.g. a unit name); returns a problem or undefined. */
  readonly validate?: (literals: readonly LiteralArg[]) => string | undefined;
  /** One-line description for the console's completion list and error hints. */
  readonly doc?: string;
}

/** A pure row function. Throw EvalFault for bad input: the message fails, the rule goes on. */
export interface ScalarFunctionDef extends BaseDef {
  readonly kind: 'scalar';
  readonly impl: (args: unknown[], env: FnEnv) => unknown;
}

/** An aggregate over the rows of one window group; `params` are its constant trailing arguments. */
export interface AggregateFunctionDef extends BaseDef {
  readonly kind: 'aggregate';
  /** How many leading arguments are per-row values; the rest are constants passed to `create`. */
  readonly valueArgs: number;
  /** Whether `*` is accepted as the value argument (`count(*)`). */
  readonly star?: boolean;
  readonly create: (params: readonly unknown[]) => AggregateState;
}

/** A per-call-site stateful function over the message sequence (eKuiper analytic functions). */
export interface AnalyticFunctionDef extends BaseDef {
  readonly kind: 'analytic';
  readonly create: () => AnalyticCall;
}

/**
 * One call site's running function. `save`/`load` carry its memory of earlier messages across a
 * restart (checkpoints); a function without them starts with no history after one.
 */
export type AnalyticCall = ((args: unknown[]) => unknown) & {
  save?(): unknown;
  /** Replaces the memory with saved data; throws on data `save` could not have produced. */
  load?(data: unknown): void;
};

export type FunctionDef = ScalarFunctionDef | AggregateFunctionDef | AnalyticFunctionDef;

/** Function name (lower case) → definition. Callers may extend or override builtins. */
export type FunctionTable = Readonly<Record<string, FunctionDef>>;

export function scalar(
  minArgs: number,
  maxArgs: number,
  args: readonly ValueType[],
  returns: ValueType,
  impl: ScalarFunctionDef['impl'],
  extra: Pick<BaseDef, 'validate' | 'doc'> = {},
): ScalarFunctionDef {
  return { kind: 'scalar', minArgs, maxArgs, args, returns, impl, ...extra };
}

export function argType(def: FunctionDef, i: number): ValueType {
  const types = def.args ?? [];
  if (types.length === 0) return 'any';
  return types[Math.min(i, types.length - 1)] ?? 'any';
}

export function describeArity(def: FunctionDef): string {
  if (def.maxArgs === Infinity) return `at least ${def.minArgs}`;
  return def.minArgs === def.maxArgs ? String(def.minArgs) : `${def.minArgs} to ${def.maxArgs}`;
}
