import { isWatershedError, type Clock } from '@watershed/common';
import {
  RuleSqlError,
  compileRule,
  type FunctionTable,
  type MessageContext,
  type Row,
  type WindowBounds,
} from '@watershed/rule-sql';

/** Why a rule could not be compiled, in the shape the console underlines in its editor. */
export interface TestRuleCompileError {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly expected?: string;
  readonly hint?: string;
}

export type TestRuleResult =
  | {
      readonly ok: true;
      readonly rows: Row[];
      /** Whether the FROM clause matches the given topic(s); rows are computed either way. */
      readonly matched: boolean;
    }
  | { readonly ok: false; readonly stage: 'compile'; readonly error: TestRuleCompileError }
  | { readonly ok: false; readonly stage: 'evaluate'; readonly reason: string };

export interface TestRuleOptions {
  /** Source of `now_timestamp()`; default the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
  readonly functions?: FunctionTable;
  /** Bounds shown to `window_start()`/`window_end()` for windowed rules; default the messages' span. */
  readonly bounds?: WindowBounds;
}

/**
 * The console's "Run Test": runs a rule on sample input without any bus, window timers or
 * actions. A stateless rule evaluates each message in turn (analytic functions see the earlier
 * ones); a windowed rule puts all messages into one window. Never throws.
 */
export function testRule(
  sql: string,
  input: MessageContext | readonly MessageContext[],
  opts: TestRuleOptions = {},
): TestRuleResult {
  const messages: readonly MessageContext[] = Array.isArray(input) ? input : [input as MessageContext];
  let rule;
  try {
    rule = compileRule(sql, {
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.functions ? { functions: opts.functions } : {}),
    });
  } catch (err) {
    return { ok: false, stage: 'compile', error: compileError(err) };
  }
  const matched = messages.every((m) => m.topic === undefined || rule.matches(m.topic));
  if (rule.window) {
    const r = rule.evaluateWindow(messages, opts.bounds ?? span(messages, opts.clock));
    return r.ok ? { ok: true, rows: r.rows, matched } : { ok: false, stage: 'evaluate', reason: r.reason };
  }
  const rows: Row[] = [];
  for (const m of messages) {
    const r = rule.evaluate(m);
    if (!r.ok) return { ok: false, stage: 'evaluate', reason: r.reason };
    rows.push(...r.rows);
  }
  return { ok: true, rows, matched };
}

function span(messages: readonly MessageContext[], clock: Pick<Clock, 'now'> | undefined): WindowBounds {
  const times = messages.map((m) => m.timestamp).filter((t): t is number => typeof t === 'number');
  const now = clock?.now() ?? Date.now();
  return times.length === 0
    ? { start: now, end: now }
    : { start: Math.min(...times), end: Math.max(...times) };
}

function compileError(err: unknown): TestRuleCompileError {
  if (err instanceof RuleSqlError) {
    return {
      code: err.code,
      message: err.message,
      line: err.line,
      column: err.column,
      ...(err.expected !== undefined ? { expected: err.expected } : {}),
      ...(err.hint !== undefined ? { hint: err.hint } : {}),
    };
  }
  if (isWatershedError(err)) return { code: err.code, message: err.message };
  return { code: 'WS_ERR_INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
