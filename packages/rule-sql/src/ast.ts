import type { SourcePos } from './errors.js';

/**
 * The rule syntax tree. Nodes carry the position of their first token so later passes (checker,
 * window extraction) report errors where the author wrote the offending text.
 */
export type Expr =
  | LiteralExpr
  | IdentExpr
  | MemberExpr
  | IndexExpr
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | CallExpr
  | CaseExpr
  | StarExpr;

interface Node {
  readonly pos: SourcePos;
}

export interface LiteralExpr extends Node {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

/** A bare name: a context field (`topic`), a SELECT alias, the FOREACH element, or a time unit. */
export interface IdentExpr extends Node {
  readonly kind: 'ident';
  readonly name: string;
}

/** `object.key` and `object.'quoted key'`. */
export interface MemberExpr extends Node {
  readonly kind: 'member';
  readonly object: Expr;
  readonly key: string;
}

/** `object[index]`; integer indexes are 1-based like EMQX, negative ones count from the end. */
export interface IndexExpr extends Node {
  readonly kind: 'index';
  readonly object: Expr;
  readonly index: Expr;
}

export type UnaryOp = 'not' | 'neg';
export interface UnaryExpr extends Node {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export type BinaryOp =
  'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '+' | '-' | '*' | '/' | 'div' | 'mod';

export interface BinaryExpr extends Node {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface InExpr extends Node {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly value: Expr;
  readonly list: readonly Expr[];
}

export interface CallExpr extends Node {
  readonly kind: 'call';
  /** Lower-cased; function names are case-insensitive. */
  readonly name: string;
  readonly args: readonly Expr[];
}

/** `CASE [subject] WHEN … THEN … [ELSE …] END`; with a subject, WHEN values are compared to it. */
export interface CaseExpr extends Node {
  readonly kind: 'case';
  readonly subject: Expr | undefined;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | undefined;
}

/** `*` — only legal as a select field or as the argument of `count(*)`. */
export interface StarExpr extends Node {
  readonly kind: 'star';
}

export interface SelectField {
  readonly pos: SourcePos;
  readonly expr: Expr;
  /** Output path from `AS a` or `AS a.b`; undefined when the author gave no alias. */
  readonly alias: readonly string[] | undefined;
  /** The expression's source text, used as the output key of an unaliased computed field. */
  readonly text: string;
}

export interface SourceRef {
  readonly pos: SourcePos;
  /** Topic filter (`t/#`) or event topic (`$events/client_connected`). */
  readonly topic: string;
}

export interface ForeachClause {
  readonly pos: SourcePos;
  readonly expr: Expr;
  /** Name of the element inside DO/INCASE; `item` when no `AS` was given (EMQX). */
  readonly alias: string;
  /** DO fields; empty means each element is the output row. */
  readonly fields: readonly SelectField[];
  readonly incase: Expr | undefined;
}

export interface RuleAst {
  readonly kind: 'select' | 'foreach';
  /** SELECT fields; for FOREACH the DO fields live in `foreach`. */
  readonly fields: readonly SelectField[];
  readonly foreach: ForeachClause | undefined;
  readonly sources: readonly SourceRef[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
}

/** Calls `visit` on `expr` and every sub-expression, parents first. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'member':
      walk(expr.object, visit);
      break;
    case 'index':
      walk(expr.object, visit);
      walk(expr.index, visit);
      break;
    case 'unary':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'in':
      walk(expr.value, visit);
      for (const e of expr.list) walk(e, visit);
      break;
    case 'call':
      for (const e of expr.args) walk(e, visit);
      break;
    case 'case':
      if (expr.subject) walk(expr.subject, visit);
      for (const w of expr.whens) {
        walk(w.when, visit);
        walk(w.then, visit);
      }
      if (expr.otherwise) walk(expr.otherwise, visit);
      break;
    default:
      break;
  }
}
