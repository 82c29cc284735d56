import type { CallExpr, Expr } from './ast.js';
import { RuleSqlErrors, ruleError } from './errors.js';

/**
 * eKuiper window functions in GROUP BY. This package only parses and validates them into a
 * {@link WindowSpec}; `packages/rule-engine` runs the windows. Argument order follows eKuiper so
 * its rules run unchanged: `SESSIONWINDOW(unit, maxDuration, timeout)`, `COUNTWINDOW(n[, hop])`.
 */
export type TimeUnit = 'ms' | 'ss' | 'mi' | 'hh' | 'dd';

export const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  ms: 1,
  ss: 1000,
  mi: 60_000,
  hh: 3_600_000,
  dd: 86_400_000,
};

export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly unit: TimeUnit; readonly sizeMs: number }
  | { readonly kind: 'hopping'; readonly unit: TimeUnit; readonly sizeMs: number; readonly hopMs: number }
  | { readonly kind: 'sliding'; readonly unit: TimeUnit; readonly sizeMs: number; readonly delayMs: number }
  | { readonly kind: 'session'; readonly unit: TimeUnit; readonly maxMs: number; readonly timeoutMs: number }
  | { readonly kind: 'count'; readonly count: number; readonly hop: number };

export const WINDOW_NAMES: ReadonlySet<string> = new Set([
  'tumblingwindow',
  'hoppingwindow',
  'slidingwindow',
  'sessionwindow',
  'countwindow',
]);

export function isWindowCall(e: Expr): e is CallExpr {
  return e.kind === 'call' && WINDOW_NAMES.has(e.name);
}

function fail(e: Expr, message: string, expected?: string, hint?: string): never {
  throw ruleError(RuleSqlErrors.WINDOW, [e.pos.line, e.pos.column, message], {
    ...e.pos,
    expected,
    hint,
  });
}

function positiveInt(call: CallExpr, i: number, what: string): number {
  const arg = call.args[i];
  if (!arg) fail(call, `${call.name.toUpperCase()} needs ${what}`, `a positive integer ${what}`);
  if (
    arg.kind !== 'literal' ||
    typeof arg.value !== 'number' ||
    !Number.isInteger(arg.value) ||
    arg.value <= 0
  ) {
    fail(arg, `${what} must be a positive integer literal`, 'a positive integer');
  }
  return arg.value;
}

function unitOf(call: CallExpr): TimeUnit {
  const arg = call.args[0];
  const units = Object.keys(UNIT_MS).join(', ');
  if (!arg) fail(call, `${call.name.toUpperCase()} needs a time unit`, `one of ${units}`);
  const name =
    arg.kind === 'ident' ? arg.name.toLowerCase() : arg.kind === 'literal' ? String(arg.value) : '';
  if (!(name in UNIT_MS))
    fail(arg, `unknown time unit "${name}"`, `one of ${units}`, 'e.g. TUMBLINGWINDOW(ss, 10)');
  return name as TimeUnit;
}

function arity(call: CallExpr, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    fail(
      call,
      `${call.name.toUpperCase()} takes ${want} arguments, got ${call.args.length}`,
      `${want} arguments`,
    );
  }
}

/** Validates one window call and turns it into a spec. */
export function windowSpec(call: CallExpr): WindowSpec {
  switch (call.name) {
    case 'tumblingwindow': {
      arity(call, 2, 2);
      const unit = unitOf(call);
      return { kind: 'tumbling', unit, sizeMs: positiveInt(call, 1, 'size') * UNIT_MS[unit] };
    }
    case 'hoppingwindow': {
      arity(call, 3, 3);
      const unit = unitOf(call);
      const size = positiveInt(call, 1, 'size');
      const hop = positiveInt(call, 2, 'hop');
      return { kind: 'hopping', unit, sizeMs: size * UNIT_MS[unit], hopMs: hop * UNIT_MS[unit] };
    }
    case 'slidingwindow': {
      arity(call, 2, 3);
      const unit = unitOf(call);
      const delay = call.args.length === 3 ? positiveInt(call, 2, 'delay') : 0;
      return {
        kind: 'sliding',
        unit,
        sizeMs: positiveInt(call, 1, 'size') * UNIT_MS[unit],
        delayMs: delay * UNIT_MS[unit],
      };
    }
    case 'sessionwindow': {
      arity(call, 3, 3);
      const unit = unitOf(call);
      const max = positiveInt(call, 1, 'maximum duration');
      const timeout = positiveInt(call, 2, 'timeout');
      if (timeout > max)
        fail(
          call.args[2]!,
          `timeout ${timeout} exceeds the maximum duration ${max}`,
          `a timeout ≤ ${max}`,
          'eKuiper order: SESSIONWINDOW(unit, maxDuration, timeout)',
        );
      return { kind: 'session', unit, maxMs: max * UNIT_MS[unit], timeoutMs: timeout * UNIT_MS[unit] };
    }
    default: {
      arity(call, 1, 2);
      const count = positiveInt(call, 0, 'count');
      const hop = call.args.length === 2 ? positiveInt(call, 1, 'hop') : count;
      if (hop > count)
        fail(call.args[1]!, `hop ${hop} exceeds the window length ${count}`, `a hop ≤ ${count}`);
      return { kind: 'count', count, hop };
    }
  }
}

/** Splits GROUP BY into the window (at most one) and the grouping keys. */
export function splitGroupBy(groupBy: readonly Expr[]): { window: WindowSpec | undefined; keys: Expr[] } {
  let window: WindowSpec | undefined;
  const keys: Expr[] = [];
  for (const e of groupBy) {
    if (isWindowCall(e)) {
      if (window) fail(e, 'only one window is allowed in GROUP BY', 'a single window function');
      window = windowSpec(e);
    } else {
      keys.push(e);
    }
  }
  return { window, keys };
}
