import { tEn, type Translate } from '../i18n/translate.js';

/** A problem the server found in a rule (console-api rules/schemas.ts RuleProblem). */
export interface RuleProblem {
  code: string;
  message: string;
  /** `sql`, `actions.1`, `name`, …; also `actions-json` for a JSON mistake found before sending. */
  path?: string;
  line?: number;
  column?: number;
  expected?: string;
  hint?: string;
}

export interface RuleAction {
  type: string;
  [config: string]: unknown;
}

export interface RuleMetricsSummary {
  matched: number;
  passed: number;
  noResult: number;
  failed: number;
  actionsFailed: number;
  ratePerSecond: number;
}

/** A rule as GET /api/v1/rules answers it (console-api rules/schemas.ts RuleView). */
export interface RuleView {
  id: string;
  project: string;
  name: string;
  enabled: boolean;
  revision: number;
  createdAt: number;
  updatedAt: number;
  origin: 'api' | 'config';
  sql: string;
  actions: RuleAction[];
  description?: string;
  state: 'running' | 'stopped' | 'error';
  error?: RuleProblem;
  metrics: RuleMetricsSummary;
}

/** What the editor holds: text as typed, parsed only when sent. */
export interface RuleDraft {
  name: string;
  sql: string;
  actionsJson: string;
  description: string;
}

export const ACTIONS_EXAMPLE = `[
  { "type": "republish", "topic": "alerts/\${clientid}", "qos": 1 },
  { "type": "sink", "sink": "store" }
]`;

export const SQL_EXAMPLE = `SELECT payload.values.flow AS flow, clientid
FROM "ws/v1/+/+/+/data"
WHERE payload.values.flow > 100`;

export function draftOf(rule: RuleView | undefined): RuleDraft {
  if (rule === undefined) return { name: '', sql: SQL_EXAMPLE, actionsJson: '[]', description: '' };
  return {
    name: rule.name,
    sql: rule.sql,
    actionsJson: JSON.stringify(rule.actions, null, 2),
    description: rule.description ?? '',
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: RuleProblem };

/** 1-based line and column of a 0-based offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * The JSON the user typed, or where it is wrong. Engines say where in different words
 * ("at position 12", "(line 2 column 5)"); both become a line and column.
 */
export function parseJsonText(text: string, path: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const pos = /position (\d+)/.exec(message);
    const at = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : pos
        ? lineColumn(text, Number(pos[1]))
        : {};
    return { ok: false, problem: { code: 'JSON', message: `not valid JSON: ${message}`, path, ...at } };
  }
}

/** The actions text as an action array, or the problem with it. */
export function parseActions(text: string): Parsed<RuleAction[]> {
  if (text.trim() === '') return { ok: true, value: [] };
  const parsed = parseJsonText(text, 'actions');
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (!Array.isArray(v))
    return {
      ok: false,
      problem: { code: 'JSON', message: 'actions must be a JSON array [ … ]', path: 'actions' },
    };
  const bad = v.findIndex(
    (a) => typeof a !== 'object' || a === null || typeof (a as RuleAction).type !== 'string',
  );
  if (bad >= 0)
    return {
      ok: false,
      problem: {
        code: 'JSON',
        message: 'each action needs a "type", e.g. "republish"',
        path: `actions.${bad}`,
      },
    };
  return { ok: true, value: v as RuleAction[] };
}

export type Field = 'name' | 'sql' | 'actions' | 'description' | 'other';

/** Which editor field a problem belongs under; SQL positions without a path are SQL's. */
export function fieldOf(p: RuleProblem): Field {
  const head = (p.path ?? '').split('.')[0];
  if (head === 'sql' || (p.path === undefined && p.line !== undefined)) return 'sql';
  if (head === 'actions') return 'actions';
  if (head === 'name' || head === 'description') return head;
  return 'other';
}

export function problemsByField(problems: readonly RuleProblem[]): Record<Field, RuleProblem[]> {
  const out: Record<Field, RuleProblem[]> = { name: [], sql: [], actions: [], description: [], other: [] };
  for (const p of problems) out[fieldOf(p)].push(p);
  return out;
}

/** "line 2, column 6: unexpected token (expected FROM) — hint"; the action number for actions.N. */
export function problemText(p: RuleProblem, t: Translate = tEn): string {
  // The position and framing are the console's words; the message itself is the server's.
  const where =
    p.line !== undefined
      ? t('rules.problem.at', { line: p.line, column: p.column ?? 1 })
      : /^actions\.\d+/.test(p.path ?? '')
        ? t('rules.problem.action', { n: Number((p.path ?? '').split('.')[1]) + 1 })
        : '';
  const expected = p.expected !== undefined ? t('rules.problem.expected', { expected: p.expected }) : '';
  const hint = p.hint !== undefined ? ` — ${p.hint}` : '';
  return `${where}${p.message}${expected}${hint}`;
}

/** The offending line and a caret under the column, to show beneath the editor. */
export function caretOf(text: string, p: RuleProblem): { source: string; caret: string } | undefined {
  if (p.line === undefined) return undefined;
  const source = text.split('\n')[p.line - 1];
  if (source === undefined) return undefined;
  return { source, caret: `${' '.repeat(Math.max(0, (p.column ?? 1) - 1))}^` };
}

export function rateText(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond < 0.1) return `${+(perSecond * 60).toPrecision(2)}/min`;
  return `${+perSecond.toPrecision(3)}/s`;
}

/** The If-Match value of a revision (the ETag the server sends is `"<revision>"`). */
export function ifMatch(revision: number): string {
  return `"${revision}"`;
}
