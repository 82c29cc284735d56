import type { CheckedRule } from '../checker.js';
import { Frame, type MessageContext, type WindowBounds } from '../context.js';
import type { AnalyticCall, FnEnv } from '../functions/registry.js';
import type { AggregateState } from '../aggregates.js';
import { topicMatches } from '../topic.js';
import { EvalFault, failureOf, type FailureKind } from '../errors.js';
import { isTrue, show } from '../values.js';
import type { WindowSpec } from '../windows.js';
import { ExprCompiler, type Closure } from './expr.js';
import { WindowGroup, type GroupPlan } from './group.js';
import { compileFields, readsAlias, type FieldWriter } from './projection.js';

export type Row = Record<string, unknown>;

/** One message's outcome: output rows (zero when filtered), or why this message failed. */
export type EvalResult =
  | { readonly ok: true; readonly rows: Row[] }
  | { readonly ok: false; readonly reason: string; readonly kind: FailureKind };

/** An aggregate call in a windowed rule, in the order the runtime feeds `WindowRow.values`. */
export interface AggregateSpec {
  readonly index: number;
  /** Function name, e.g. `percentile`. */
  readonly name: string;
  /** Constant trailing arguments, e.g. `[0.9]` for `percentile(x, 0.9)`. */
  readonly params: readonly unknown[];
  /** Source text of the call, e.g. `avg(payload.flow)`. */
  readonly text: string;
  /** A fresh pure state for one group and window. */
  create(): AggregateState;
}

/** A message accepted into a window: its group and the per-aggregate argument values. */
export interface WindowRow {
  /** Stable group identity (JSON of the GROUP BY key values; `[]` without keys). */
  readonly key: string;
  readonly keyValues: readonly unknown[];
  readonly ctx: MessageContext;
  /** Argument value per aggregate, indexed like `CompiledRule.aggregates`. */
  readonly values: readonly unknown[];
}

export type AcceptResult =
  | { readonly ok: true; readonly row: WindowRow | undefined }
  | { readonly ok: false; readonly reason: string; readonly kind: FailureKind };

/** Pure accumulator for one group in one window; the runtime owns when it is created and emitted. */
export interface GroupState {
  add(row: WindowRow): { ok: true } | { ok: false; reason: string; kind: FailureKind };
  /** Projects the group: one row with aggregates, or every row when the rule has no aggregates. */
  emit(bounds: WindowBounds): EvalResult;
  readonly size: number;
  /** The partial aggregates as data; undefined unless the rule is `checkpointable`. */
  save(): GroupSnapshot | undefined;
  /**
   * Folds a snapshot of earlier rows into this group (a restored checkpoint). Throws on a
   * snapshot that does not fit the rule (e.g. a different number of aggregates).
   */
  merge(earlier: GroupSnapshot): void;
}

/** One group's partial aggregates, JSON-safe apart from the rows' message payloads. */
export interface GroupSnapshot {
  /** Rows added. */
  readonly n: number;
  /** `AggregateState.save()` per aggregate, indexed like `CompiledRule.aggregates`. */
  readonly aggs: readonly unknown[];
  /** The newest row: non-aggregate fields of the output are projected from it. */
  readonly last?: WindowRow;
  /** Every row, only for rules without aggregates (they project each row). */
  readonly rows?: readonly WindowRow[];
}

export interface CompiledRule {
  readonly sql: string;
  readonly kind: 'select' | 'foreach';
  /** Topic filters and event topics from FROM. */
  readonly sources: readonly string[];
  /** Undefined for stateless rules. */
  readonly window: WindowSpec | undefined;
  readonly aggregates: readonly AggregateSpec[];
  /** Whether any clause reads `payload` (a runtime may skip decoding work when false). */
  readonly usesPayload: boolean;
  /** Whether a message on `topic` is for this rule (any FROM source matches). */
  matches(topic: string): boolean;
  /** Stateless rules: one message → zero or more rows (FOREACH fans out). Never throws. */
  evaluate(ctx: MessageContext): EvalResult;
  /** Windowed rules, per message: analytic functions, WHERE, group key and aggregate arguments. */
  accept(ctx: MessageContext): AcceptResult;
  createGroup(): GroupState;
  /** Convenience for a closed window: groups `rows`, aggregates and projects them. */
  evaluateWindow(rows: readonly MessageContext[], bounds: WindowBounds): EvalResult;
  /** Forgets analytic-function history (lag, had_changed …). */
  reset(): void;
  /** Whether every aggregate can save its partial state (else a runtime keeps rows to checkpoint). */
  readonly checkpointable: boolean;
  /** Whether the rule calls analytic functions (their history is worth a checkpoint). */
  readonly hasAnalytics: boolean;
  /** Analytic-function history per call site (null where a function cannot save it). */
  saveAnalytics(): unknown[];
  /** Restores `saveAnalytics()` output; throws when it does not fit this rule's call sites. */
  loadAnalytics(data: readonly unknown[]): void;
}

/** Builds the executable rule from a checked AST. */
export function buildRule(sql: string, checked: CheckedRule, env: FnEnv): CompiledRule {
  const exprs = new ExprCompiler(checked, env);
  const ast = checked.ast;
  const where = ast.where ? exprs.compile(ast.where) : undefined;
  const whereAfterProjection = readsAlias(
    ast.where,
    (e) => e.kind === 'ident' && checked.idents.get(e)?.kind === 'alias',
  );
  const having = ast.having ? exprs.compile(ast.having) : undefined;
  const keys = checked.keys.map((k) => exprs.compile(k));
  const fields = compileFields(ast.fields, exprs);
  const window = checked.window;
  const usesPayload =
    [...checked.idents.values()].some((r) => r.kind === 'payload') ||
    ast.fields.some((f) => f.expr.kind === 'star');

  let analyticFns: { run: AnalyticCall; args: Closure[] }[] = [];
  const resetAnalytics = (): void => {
    analyticFns = checked.analytics.map((a) => ({
      run: a.def.create(),
      args: a.call.args.map((x) => exprs.compile(x)),
    }));
  };
  resetAnalytics();
  const runAnalytics = (f: Frame): void => {
    if (analyticFns.length === 0) return;
    f.analytic = analyticFns.map((a) => a.run(a.args.map((x) => x(f))));
  };

  const aggregates: AggregateSpec[] = checked.aggregates.map((a) => {
    const params = a.call.args.slice(a.def.valueArgs).map((x) => (x.kind === 'literal' ? x.value : null));
    return {
      index: a.index,
      name: a.call.name,
      params,
      text: fieldText(sql, a.call.pos),
      create: () => a.def.create(params),
    };
  });
  const checkpointable = aggregates.every((a) => {
    const probe = a.create();
    return typeof probe.save === 'function' && typeof probe.merge === 'function';
  });
  const aggArgs = checked.aggregates.map((a) =>
    a.call.args[0] ? exprs.compile(a.call.args[0]) : () => true,
  );

  const project = (f: Frame, writers: readonly FieldWriter[]): void => {
    for (const w of writers) w(f);
  };

  const evaluateSelect = (f: Frame): Row[] => {
    if (where && !whereAfterProjection && !isTrue(where(f))) return [];
    project(f, fields);
    if (where && whereAfterProjection && !isTrue(where(f))) return [];
    return [f.out];
  };

  const fe = ast.foreach;
  const foreach = fe && {
    expr: exprs.compile(fe.expr),
    fields: compileFields(fe.fields, exprs),
    incase: fe.incase ? exprs.compile(fe.incase) : undefined,
    alias: fe.alias,
  };
  const evaluateForeach = (f: Frame): Row[] => {
    if (!foreach) return [];
    if (where && !isTrue(where(f))) return [];
    const list = foreach.expr(f);
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) throw new EvalFault(`FOREACH expects an array, got ${show(list)}`);
    const rows: Row[] = [];
    for (const item of list) {
      f.item = item;
      f.out = {};
      if (foreach.incase && !isTrue(foreach.incase(f))) continue;
      if (foreach.fields.length === 0) {
        rows.push(
          item !== null && typeof item === 'object' && !Array.isArray(item)
            ? { ...(item as Row) }
            : { [foreach.alias]: item as unknown },
        );
      } else {
        project(f, foreach.fields);
        rows.push(f.out);
      }
    }
    return rows;
  };

  const groupPlan: GroupPlan = {
    createStates: () => aggregates.map((a) => a.create()),
    aggregated: aggregates.length > 0,
    checkpointable,
    project(rows, aggs, bounds) {
      const out: Row[] = [];
      for (const row of rows) {
        const f = new Frame(row.ctx);
        f.aggs = aggs;
        f.window = bounds;
        project(f, fields);
        if (!having || isTrue(having(f))) out.push(f.out);
      }
      return { ok: true, rows: out };
    },
  };

  const rule: CompiledRule = {
    sql,
    kind: ast.kind,
    sources: checked.sources,
    window,
    aggregates,
    usesPayload,
    matches: (topic) => checked.sources.some((s) => topicMatches(s, topic)),
    evaluate(ctx) {
      if (window)
        return {
          ok: false,
          reason: 'windowed rule: feed messages through accept() and createGroup()',
          kind: 'exception',
        };
      const f = new Frame(ctx);
      try {
        runAnalytics(f);
        return { ok: true, rows: ast.kind === 'foreach' ? evaluateForeach(f) : evaluateSelect(f) };
      } catch (err) {
        return failureOf(err);
      }
    },
    accept(ctx) {
      if (!window) return { ok: false, reason: 'stateless rule: use evaluate()', kind: 'exception' };
      const f = new Frame(ctx);
      try {
        runAnalytics(f);
        if (where && !isTrue(where(f))) return { ok: true, row: undefined };
        const keyValues = keys.map((k) => k(f) ?? null);
        const values = aggArgs.map((a) => a(f));
        return { ok: true, row: { key: JSON.stringify(keyValues), keyValues, ctx, values } };
      } catch (err) {
        return failureOf(err);
      }
    },
    createGroup: () => new WindowGroup(groupPlan),
    evaluateWindow(messages, bounds) {
      const groups = new Map<string, GroupState>();
      for (const ctx of messages) {
        const accepted = rule.accept(ctx);
        if (!accepted.ok) return accepted;
        if (!accepted.row) continue;
        let g = groups.get(accepted.row.key);
        if (!g) groups.set(accepted.row.key, (g = rule.createGroup()));
        const added = g.add(accepted.row);
        if (!added.ok) return added;
      }
      const rows: Row[] = [];
      for (const g of groups.values()) {
        const r = g.emit(bounds);
        if (!r.ok) return r;
        rows.push(...r.rows);
      }
      return { ok: true, rows };
    },
    reset: resetAnalytics,
    checkpointable,
    hasAnalytics: checked.analytics.length > 0,
    saveAnalytics: () => analyticFns.map((a) => (a.run.save ? a.run.save() : null)),
    loadAnalytics(data) {
      if (!Array.isArray(data) || data.length !== analyticFns.length) {
        throw new EvalFault(`saved history does not fit the rule's ${analyticFns.length} analytic calls`);
      }
      analyticFns.forEach((a, i) => {
        if (a.run.load && data[i] !== null) a.run.load(data[i]);
      });
    },
  };
  return rule;
}

/** Source text of the call starting at `pos` (up to its closing parenthesis, across lines). */
function fieldText(sql: string, pos: { line: number; column: number }): string {
  let offset = 0;
  for (let line = 1; line < pos.line; line++) offset = sql.indexOf('\n', offset) + 1;
  const rest = sql.slice(offset + pos.column - 1);
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '(') depth++;
    else if (rest[i] === ')' && --depth === 0) return rest.slice(0, i + 1).replace(/\s+/g, ' ');
  }
  return rest;
}
