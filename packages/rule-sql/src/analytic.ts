import type { AnalyticFunctionDef, FunctionTable } from './functions/registry.js';
import { equals, isNullish, requireInt } from './values.js';

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
    const history: unknown[] = [];
    return ([x, offset, dflt]) => {
      const k = offset === undefined ? 1 : requireInt(offset, 'lag offset');
      const out = k >= 1 && k <= history.length ? history[history.length - k] : (dflt ?? null);
      history.push(x ?? null);
      if (history.length > Math.max(k, 1)) history.shift();
      return out;
    };
  }),
  /** latest(x[, default]): the most recent non-null value, including this message's. */
  latest: analytic(1, 2, () => {
    let last: unknown;
    return ([x, dflt]) => {
      if (!isNullish(x)) last = x;
      return last ?? dflt ?? null;
    };
  }),
  /** had_changed(ignoreNull, x, …): whether any argument differs from its previous value. */
  had_changed: analytic(2, Infinity, () => {
    let prev: unknown[] | undefined;
    return ([ignoreNull, ...xs]) => {
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
  }),
};
