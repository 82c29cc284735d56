import type { AnalyticFunctionDef, FunctionTable } from './functions/registry.js';
import { EvalFault } from './errors.js';
import { equals, isNullish, requireInt, show } from './values.js';

function corrupt(name: string, data: unknown): never {
  throw new EvalFault(`${name}: saved history ${show(data)} is not valid`);
}

function list(name: string, data: unknown): unknown[] {
  return Array.isArray(data) ? [...(data as unknown[])] : corrupt(name, data);
}

/**
 * eKuiper analytic functions: each call site keeps its own memory of earlier messages. They are
 * evaluated once per message, before WHERE, like eKuiper does, so a filter does not change what
 * `lag` sees.
 */
function analytic(
  minArgs: number,
  maxArgs: number,
  create: AnalyticFunctionDef['create'],
): AnalyticFunctionDef {
  return { kind: 'analytic', minArgs, maxArgs, returns: 'any', create };
}

export const analyticFunctions: FunctionTable = {
  /** lag(x[, offset = 1[, default]]): the value `offset` messages ago. */
  lag: analytic(1, 3, () => {
    let history: unknown[] = [];
    const call = ([x, offset, dflt]: unknown[]): unknown => {
      const k = offset === undefined ? 1 : requireInt(offset, 'lag offset');
      const out = k >= 1 && k <= history.length ? history[history.length - k] : (dflt ?? null);
      history.push(x ?? null);
      if (history.length > Math.max(k, 1)) history.shift();
      return out;
    };
    return Object.assign(call, {
      save: () => history,
      load: (data: unknown) => void (history = list('lag', data)),
    });
  }),
  /** latest(x[, default]): the most recent non-null value, including this message's. */
  latest: analytic(1, 2, () => {
    let last: unknown;
    const call = ([x, dflt]: unknown[]): unknown => {
      if (!isNullish(x)) last = x;
      return last ?? dflt ?? null;
    };
    return Object.assign(call, {
      save: () => (last === undefined ? [] : [last]),
      load: (data: unknown) => void (last = list('latest', data)[0]),
    });
  }),
  /** had_changed(ignoreNull, x, …): whether any argument differs from its previous value. */
  had_changed: analytic(2, Infinity, () => {
    let prev: unknown[] | undefined;
    const call = ([ignoreNull, ...xs]: unknown[]): boolean => {
      const skipNull = ignoreNull === true;
      const before = prev ?? [];
      let changed = false;
      const next = xs.map((x, i) => {
        if (skipNull && isNullish(x)) return before[i];
        if (prev === undefined || !equals(x, before[i])) changed = true;
        return x;
      });
      prev = next;
      return changed;
    };
    // JSON keeps no undefined: nothing seen yet is saved as null, a list as itself.
    return Object.assign(call, {
      save: () => prev ?? null,
      load: (data: unknown) => void (prev = data === null ? undefined : list('had_changed', data)),
    });
  }),
};
