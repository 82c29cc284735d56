import type {
  RuleMetricsSnapshot,
  RuleProblem,
  RuleRunState,
  RuleRuntime,
  RuleSpec,
  RuleTestInput,
  RuleTestResult,
} from './runtime.js';

/**
 * A RuleRuntime for the routes' tests and the web client's: it keeps installed rules in a map
 * and "compiles" only the shape `SELECT … FROM "filter"`, reporting anything else at the
 * position the real parser would blame first. The server's real runtime is tested in
 * `apps/server/src/rules/`.
 */
export class FakeRuleRuntime implements RuleRuntime {
  static readonly actionTypes = ['republish', 'sink', 'console'];
  readonly installed = new Map<string, RuleSpec>();
  readonly counters = new Map<string, RuleMetricsSnapshot>();
  /** Every apply/remove, in order: what the engine would have been told. */
  readonly calls: string[] = [];
  /** Makes the next `apply` throw, as an engine refusing a validated rule would. */
  failNextApply: Error | undefined;

  validate(spec: Omit<RuleSpec, 'enabled'>): RuleProblem[] {
    const problems: RuleProblem[] = [];
    const sql = sqlProblem(spec.sql);
    if (sql) problems.push(sql);
    spec.actions.forEach((a, i) => {
      if (!FakeRuleRuntime.actionTypes.includes(a.type)) {
        problems.push({
          code: 'WS_ERR_RULE_ACTION_UNKNOWN',
          message: `unknown action type "${a.type}"`,
          path: `actions.${i}`,
        });
      }
    });
    return problems;
  }

  apply(spec: RuleSpec): void {
    const fail = this.failNextApply;
    this.failNextApply = undefined;
    if (fail) throw fail;
    const problems = this.validate(spec);
    if (problems.length > 0) throw new Error(problems[0]!.message);
    this.installed.set(spec.id, spec);
    this.calls.push(`apply ${spec.id} ${spec.enabled ? 'enabled' : 'disabled'}`);
  }

  remove(id: string): void {
    this.installed.delete(id);
    this.calls.push(`remove ${id}`);
  }

  test(input: RuleTestInput): RuleTestResult {
    const problem = sqlProblem(input.sql);
    const contexts = Array.isArray(input.context) ? input.context : [input.context];
    if (problem) return { ok: false, matched: false, rows: [], errors: [problem], actions: [] };
    const rows = (contexts as Record<string, unknown>[]).map((c) => ({ ...c }));
    return {
      ok: true,
      matched: true,
      rows,
      errors: [],
      actions: (input.actions ?? []).map((a, index) => ({ index, type: a.type, effects: rows })),
    };
  }

  metrics(id: string): RuleMetricsSnapshot | undefined {
    return this.counters.get(id);
  }

  status(id: string): RuleRunState {
    return this.installed.get(id)?.enabled ? { state: 'running' } : { state: 'stopped' };
  }
}

function sqlProblem(sql: string): RuleProblem | undefined {
  const m = /^(\s*SELECT\s+\S[\s\S]*?\s)FROM\s+"[^"]+"/i.exec(sql);
  if (m) return undefined;
  const from = /\bFROM\b/i.exec(sql);
  const offset = from ? from.index + 4 : sql.length;
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return {
    code: 'WS_ERR_RULE_SQL_PARSE',
    message: 'expected a topic filter',
    line,
    column,
    expected: 'a quoted topic filter',
    hint: 'FROM "ws/v1/+/+/+/data"',
  };
}
