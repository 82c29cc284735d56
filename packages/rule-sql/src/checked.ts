import type { CallExpr, Expr, IdentExpr, RuleAst } from './ast.js';
import type { AggregateFunctionDef, AnalyticFunctionDef, FunctionDef } from './functions/registry.js';
import type { WindowSpec } from './windows.js';

/** How a bare name resolves; decided once here so compiled closures never look names up. */
export type Resolution =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'payload' }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'item' };

export interface AggregateCall {
  readonly call: CallExpr;
  readonly def: AggregateFunctionDef;
  readonly index: number;
}

export interface AnalyticCall {
  readonly call: CallExpr;
  readonly def: AnalyticFunctionDef;
  readonly slot: number;
}

/** The AST plus everything the compiler needs resolved; produced only for a valid rule. */
export interface CheckedRule {
  readonly ast: RuleAst;
  readonly sources: readonly string[];
  readonly window: WindowSpec | undefined;
  readonly keys: readonly Expr[];
  readonly idents: ReadonlyMap<IdentExpr, Resolution>;
  readonly calls: ReadonlyMap<CallExpr, FunctionDef | 'window_start' | 'window_end'>;
  readonly aggregates: readonly AggregateCall[];
  readonly analytics: readonly AnalyticCall[];
  /** Aggregate index or analytic slot of every aggregate/analytic call site. */
  readonly slots: ReadonlyMap<CallExpr, number>;
}
