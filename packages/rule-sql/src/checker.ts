import type { CallExpr, Expr, IdentExpr, RuleAst, SelectField } from './ast.js';
import { RuleSqlErrors, closest, ruleError, type SourcePos } from './errors.js';
import { checkSource, fieldsFor } from './fields.js';
import {
  argType,
  describeArity,
  type AggregateFunctionDef,
  type FunctionDef,
  type FunctionTable,
  type LiteralArg,
  type ValueType,
} from './functions/registry.js';
import { WINDOW_NAMES, splitGroupBy } from './windows.js';
import type { AggregateCall, AnalyticCall, CheckedRule, Resolution } from './checked.js';

export type { AggregateCall, AnalyticCall, CheckedRule, Resolution } from './checked.js';

/** Where an expression sits; decides which names and which kinds of function are legal. */
interface Scope {
  readonly aliases: ReadonlySet<string>;
  readonly item: string | undefined;
  /** Aggregates legal here (windowed projection/HAVING, outside another aggregate). */
  readonly aggregates: boolean;
  /** Inside a windowed projection: per-message values only inside aggregates. */
  readonly projection: boolean;
  readonly clause: string;
}

const MESSAGE_SCOPE: Omit<Scope, 'clause'> = {
  aliases: new Set(),
  item: undefined,
  aggregates: false,
  projection: false,
};

export interface CheckTables {
  readonly functions: FunctionTable;
  readonly aggregates: FunctionTable;
}

export function checkRule(ast: RuleAst, tables: CheckTables): CheckedRule {
  return new Checker(ast, tables).run();
}

class Checker {
  readonly #ast: RuleAst;
  readonly #tables: CheckTables;
  readonly #fields: ReadonlySet<string>;
  readonly #idents = new Map<IdentExpr, Resolution>();
  readonly #calls = new Map<CallExpr, FunctionDef | 'window_start' | 'window_end'>();
  readonly #aggregates: AggregateCall[] = [];
  readonly #aggregateKeys = new Map<string, number>();
  readonly #slots = new Map<CallExpr, number>();
  readonly #analytics: AnalyticCall[] = [];
  #windowed = false;

  constructor(ast: RuleAst, tables: CheckTables) {
    this.#ast = ast;
    this.#tables = tables;
    this.#fields = fieldsFor(ast.sources.map((s) => s.topic));
  }

  run(): CheckedRule {
    const ast = this.#ast;
    for (const s of ast.sources) checkSource(s.topic, s.pos);
    const { window, keys } = splitGroupBy(ast.groupBy);
    this.#windowed = window !== undefined;
    if (!window && ast.groupBy.length > 0) {
      this.#fail(
        RuleSqlErrors.WINDOW,
        ast.groupBy[0]!.pos,
        'GROUP BY needs a window function',
        'TUMBLINGWINDOW, HOPPINGWINDOW, SLIDINGWINDOW, SESSIONWINDOW or COUNTWINDOW',
      );
    }
    if (ast.having && !window) {
      this.#fail(
        RuleSqlErrors.AGGREGATE,
        ast.having.pos,
        'HAVING needs GROUP BY with a window',
        undefined,
        'add GROUP BY TUMBLINGWINDOW(ss, 60)',
      );
    }
    for (const k of keys) this.#expr(k, { ...MESSAGE_SCOPE, clause: 'GROUP BY' });

    if (ast.foreach) {
      const fe = ast.foreach;
      this.#expr(fe.expr, { ...MESSAGE_SCOPE, clause: 'FOREACH' });
      const inner = { ...MESSAGE_SCOPE, item: fe.alias, clause: 'DO' };
      this.#fieldList(fe.fields, inner);
      if (fe.incase) this.#expr(fe.incase, { ...inner, clause: 'INCASE' });
      if (ast.where) this.#expr(ast.where, { ...MESSAGE_SCOPE, clause: 'WHERE' });
    } else {
      const projection = {
        ...MESSAGE_SCOPE,
        aggregates: this.#windowed,
        projection: this.#windowed,
        clause: 'SELECT',
      };
      const aliases = this.#fieldList(ast.fields, projection);
      // EMQX: WHERE sees SELECT aliases. eKuiper: WHERE filters rows before windowing, so no aliases.
      if (ast.where)
        this.#expr(ast.where, {
          ...MESSAGE_SCOPE,
          aliases: this.#windowed ? new Set() : aliases,
          clause: 'WHERE',
        });
      if (ast.having) this.#expr(ast.having, { ...projection, aliases, clause: 'HAVING' });
    }
    return {
      ast,
      sources: ast.sources.map((s) => s.topic),
      window,
      keys,
      idents: this.#idents,
      calls: this.#calls,
      aggregates: this.#aggregates,
      analytics: this.#analytics,
      slots: this.#slots,
    };
  }

  /** Checks fields left to right; each alias becomes visible to the fields after it. */
  #fieldList(fields: readonly SelectField[], scope: Scope): Set<string> {
    const aliases = new Set(scope.aliases);
    for (const f of fields) {
      if (f.expr.kind !== 'star') this.#expr(f.expr, { ...scope, aliases: new Set(aliases) });
      else if (scope.item !== undefined)
        this.#fail(RuleSqlErrors.SEMANTIC, f.pos, '"*" is not allowed in DO', 'a field expression');
      const root = f.alias?.[0] ?? (f.expr.kind === 'ident' ? f.expr.name : undefined);
      if (root !== undefined) aliases.add(root);
    }
    return aliases;
  }

  #expr(e: Expr, scope: Scope): ValueType {
    switch (e.kind) {
      case 'literal':
        return e.value === null
          ? 'null'
          : typeof e.value === 'number'
            ? 'number'
            : typeof e.value === 'string'
              ? 'string'
              : 'bool';
      case 'star':
        return this.#fail(
          RuleSqlErrors.SEMANTIC,
          e.pos,
          '"*" is only allowed as a SELECT field or in count(*)',
          'an expression',
        );
      case 'ident':
        this.#ident(e, scope);
        return 'any';
      case 'member':
        this.#expr(e.object, scope);
        return 'any';
      case 'index':
        this.#expr(e.object, scope);
        this.#expr(e.index, scope);
        return 'any';
      case 'unary': {
        const t = this.#expr(e.operand, scope);
        if (e.op === 'neg') this.#numeric(t, e.operand, '-');
        return e.op === 'neg' ? 'number' : 'bool';
      }
      case 'binary': {
        const l = this.#expr(e.left, scope);
        const r = this.#expr(e.right, scope);
        if (e.op === 'and' || e.op === 'or') return 'bool';
        if (['=', '!=', '<', '<=', '>', '>=', '=~'].includes(e.op)) return 'bool';
        if (e.op === '+')
          return l === 'string' && r === 'string'
            ? 'string'
            : l === 'number' && r === 'number'
              ? 'number'
              : 'any';
        this.#numeric(l, e.left, e.op);
        this.#numeric(r, e.right, e.op);
        return 'number';
      }
      case 'in':
        this.#expr(e.value, scope);
        for (const x of e.list) this.#expr(x, scope);
        return 'bool';
      case 'case': {
        if (e.subject) this.#expr(e.subject, scope);
        const types = e.whens.map((w) => (this.#expr(w.when, scope), this.#expr(w.then, scope)));
        if (e.otherwise) types.push(this.#expr(e.otherwise, scope));
        return types.every((t) => t === types[0]) ? (types[0] ?? 'any') : 'any';
      }
      case 'call':
        return this.#call(e, scope);
    }
  }

  #numeric(t: ValueType, e: Expr, op: string): void {
    if (t !== 'any' && t !== 'number' && t !== 'null') {
      this.#fail(RuleSqlErrors.TYPE, e.pos, `operator "${op}" needs numbers, got ${t}`, 'a number');
    }
  }

  #ident(e: IdentExpr, scope: Scope): void {
    const name = e.name;
    let res: Resolution | undefined;
    if (scope.item !== undefined && name === scope.item) res = { kind: 'item' };
    else if (scope.aliases.has(name)) res = { kind: 'alias', name };
    else if (name === 'payload' && this.#fields.has('payload')) res = { kind: 'payload' };
    else if (this.#fields.has(name)) res = { kind: 'field', name };
    if (!res) {
      const known = [...this.#fields, ...scope.aliases, ...(scope.item ? [scope.item] : [])].sort();
      const near = closest(name, known);
      const hint = near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? ` : '';
      this.#fail(
        RuleSqlErrors.UNKNOWN_FIELD,
        e.pos,
        undefined,
        'a known field',
        `${hint}known: ${known.join(', ')}`,
        [name],
      );
    }
    this.#idents.set(e, res);
  }

  #call(e: CallExpr, scope: Scope): ValueType {
    if (WINDOW_NAMES.has(e.name)) {
      return this.#fail(
        RuleSqlErrors.WINDOW,
        e.pos,
        `${e.name.toUpperCase()} belongs in GROUP BY`,
        undefined,
        'e.g. GROUP BY TUMBLINGWINDOW(ss, 60)',
      );
    }
    if (e.name === 'window_start' || e.name === 'window_end') {
      if (!this.#windowed || !scope.projection)
        this.#fail(
          RuleSqlErrors.WINDOW,
          e.pos,
          `${e.name}() is only available in the SELECT or HAVING of a windowed rule`,
        );
      if (e.args.length > 0) this.#arity(e, 'none', e.args.length);
      this.#calls.set(e, e.name);
      return 'number';
    }
    const def = this.#lookup(e, scope);
    if (e.args.length < def.minArgs || e.args.length > def.maxArgs)
      this.#arity(e, describeArity(def), e.args.length);
    if (def.kind === 'aggregate') return this.#aggregate(e, def, scope);
    const inner: Scope = def.kind === 'analytic' ? { ...MESSAGE_SCOPE, clause: scope.clause } : scope;
    if (def.kind === 'analytic' && scope.projection && scope.aggregates) {
      this.#fail(
        RuleSqlErrors.AGGREGATE,
        e.pos,
        `analytic function ${e.name}() runs per message; in a windowed SELECT use it inside an aggregate or in WHERE`,
      );
    }
    e.args.forEach((a, i) => this.#arg(e, def, a, i, inner));
    this.#validateLiterals(e, def);
    this.#calls.set(e, def);
    if (def.kind === 'analytic') {
      this.#slots.set(e, this.#analytics.length);
      this.#analytics.push({ call: e, def, slot: this.#analytics.length });
    }
    return def.returns;
  }

  #aggregate(e: CallExpr, def: AggregateFunctionDef, scope: Scope): ValueType {
    if (!scope.aggregates) {
      const why = this.#windowed
        ? `aggregate ${e.name}() is not allowed in ${scope.clause}`
        : `aggregate ${e.name}() needs a window`;
      this.#fail(
        RuleSqlErrors.AGGREGATE,
        e.pos,
        why,
        undefined,
        this.#windowed
          ? scope.clause.endsWith('()')
            ? 'aggregates cannot be nested'
            : 'aggregates go in SELECT or HAVING'
          : 'add GROUP BY TUMBLINGWINDOW(ss, 60) (or another window)',
      );
    }
    const inner: Scope = { ...MESSAGE_SCOPE, clause: `${e.name}()` };
    e.args.forEach((a, i) => {
      if (a.kind === 'star' && i === 0 && def.star) return;
      if (i >= def.valueArgs && a.kind !== 'literal') {
        this.#fail(
          RuleSqlErrors.TYPE,
          a.pos,
          `argument ${i + 1} of ${e.name}() must be a constant`,
          'a literal',
        );
      }
      this.#arg(e, def, a, i, inner);
    });
    this.#validateLiterals(e, def);
    this.#calls.set(e, def);
    // The same aggregate written twice (SELECT count(*) … HAVING count(*) > 2) is computed once.
    const key = JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
    let index = this.#aggregateKeys.get(key);
    if (index === undefined) {
      index = this.#aggregates.length;
      this.#aggregateKeys.set(key, index);
      this.#aggregates.push({ call: e, def, index });
    }
    this.#slots.set(e, index);
    return def.returns;
  }

  #arg(call: CallExpr, def: FunctionDef, a: Expr, i: number, scope: Scope): void {
    const t = this.#expr(a, scope);
    const want = argType(def, i);
    if (want !== 'any' && t !== 'any' && t !== 'null' && t !== want) {
      this.#fail(
        RuleSqlErrors.TYPE,
        a.pos,
        `argument ${i + 1} of ${call.name}() must be ${want}, got ${t}`,
        want,
      );
    }
  }

  #validateLiterals(e: CallExpr, def: FunctionDef): void {
    if (!def.validate) return;
    const lits: LiteralArg[] = e.args.map((a) => (a.kind === 'literal' ? a.value : undefined));
    const problem = def.validate(lits);
    if (problem) this.#fail(RuleSqlErrors.TYPE, e.pos, `${e.name}(): ${problem}`);
  }

  #lookup(e: CallExpr, scope: Scope): FunctionDef {
    const t = this.#tables;
    // first/last are array functions in EMQX and aggregates in eKuiper: the window decides.
    const agg = this.#windowed && scope.aggregates ? t.aggregates[e.name] : undefined;
    const def = agg ?? t.functions[e.name] ?? t.aggregates[e.name];
    if (def) return def;
    const names = [...Object.keys(t.functions), ...Object.keys(t.aggregates)];
    const near = closest(e.name, names);
    return this.#fail(
      RuleSqlErrors.UNKNOWN_FUNCTION,
      e.pos,
      undefined,
      'a known function',
      near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : undefined,
      [e.name],
    );
  }

  #arity(e: CallExpr, want: string, got: number): never {
    return this.#fail(
      RuleSqlErrors.ARITY,
      e.pos,
      undefined,
      `${want} argument(s)`,
      undefined,
      [e.name, e.pos.line, e.pos.column, want, got],
      true,
    );
  }

  /**
   * Throws a catalog error. Templates start with `%s:%s` position placeholders except ARITY and the
   * unknown-name ones, whose leading arguments are passed in `lead` (`raw` = use `lead` verbatim).
   */
  #fail(
    def: (typeof RuleSqlErrors)[keyof typeof RuleSqlErrors],
    pos: SourcePos,
    message?: string,
    expected?: string,
    hint?: string,
    lead: readonly (string | number)[] = [],
    raw = false,
  ): never {
    const args = raw
      ? lead
      : lead.length > 0
        ? [...lead, pos.line, pos.column]
        : [pos.line, pos.column, message ?? ''];
    throw ruleError(def, args, { ...pos, expected, hint });
  }
}
