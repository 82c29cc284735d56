/**
 * @watershed/rule-sql — the one streaming SQL dialect of cloud and edge (issue #4): EMQX rule SQL
 * (SELECT/FOREACH, topic and `$events/…` sources, functions) plus eKuiper windows in GROUP BY.
 * Pure: no I/O, no eval. The window runtime lives in `@watershed/rule-engine`.
 */
import type { Clock } from '@watershed/common';
import { aggregateFunctions } from './aggregates.js';
import { checkRule } from './checker.js';
import { buildRule, type CompiledRule } from './compiler/rule.js';
import { analyticFunctions, scalarFunctions } from './functions/index.js';
import type { FunctionTable } from './functions/registry.js';
import { parseRule } from './parser.js';

export interface CompileOptions {
  /** Extra or overriding functions; aggregates among them become available in windowed rules. */
  readonly functions?: FunctionTable;
  /** Source of `now_timestamp()` etc.; defaults to the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
}

/** Parses, checks and compiles a rule. Throws a RuleSqlError (WS_ERR_RULE_SQL_*) when invalid. */
export function compileRule(sql: string, opts: CompileOptions = {}): CompiledRule {
  const ast = parseRule(sql);
  const extra = opts.functions ?? {};
  const functions: Record<string, FunctionTable[string]> = { ...scalarFunctions, ...analyticFunctions };
  const aggregates: Record<string, FunctionTable[string]> = { ...aggregateFunctions };
  for (const [name, def] of Object.entries(extra)) {
    if (def.kind === 'aggregate') aggregates[name.toLowerCase()] = def;
    else functions[name.toLowerCase()] = def;
  }
  const checked = checkRule(ast, { functions, aggregates });
  const clock = opts.clock ?? { now: () => Date.now() };
  return buildRule(sql, checked, { now: () => clock.now() });
}

/** Every builtin function by name (scalar, analytic and aggregate), for completion and docs. */
export function builtinFunctions(): {
  scalar: FunctionTable;
  analytic: FunctionTable;
  aggregate: FunctionTable;
} {
  return { scalar: scalarFunctions, analytic: analyticFunctions, aggregate: aggregateFunctions };
}

export { parseRule } from './parser.js';
export { topicMatches, isValidFilter } from './topic.js';
export {
  RuleSqlError,
  RuleSqlErrors,
  type FailureKind,
  type RuleSqlErrorInfo,
  type SourcePos,
} from './errors.js';
export { createAggregateState, type AggregateState } from './aggregates.js';
export { UNIT_MS, type TimeUnit, type WindowSpec } from './windows.js';
export { EVENT_FIELDS, fieldsFor } from './fields.js';
export type { MessageContext, WindowBounds } from './context.js';
export type {
  AcceptResult,
  AggregateSpec,
  CompiledRule,
  EvalResult,
  GroupSnapshot,
  GroupState,
  Row,
  WindowRow,
} from './compiler/rule.js';
export type {
  AggregateFunctionDef,
  AnalyticCall,
  AnalyticFunctionDef,
  FnEnv,
  FunctionDef,
  FunctionTable,
  LiteralArg,
  ScalarFunctionDef,
  ValueType,
} from './functions/registry.js';
export type * from './ast.js';
