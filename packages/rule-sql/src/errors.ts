import { WatershedError, defineError, type ErrorDef } from '@watershed/common';

/**
 * The rule SQL catalog. Every rejection of a rule names the place in the text (1-based line and
 * column), what the language expected there and, where we can guess, a hint — so the console can
 * underline the spot and an operator can fix the rule without reading this package.
 */
export const RuleSqlErrors = {
  SYNTAX: defineError('WS_ERR_RULE_SQL_SYNTAX', 400, 'rule SQL syntax error at %s:%s: %s'),
  UNKNOWN_FIELD: defineError('WS_ERR_RULE_SQL_UNKNOWN_FIELD', 400, 'unknown field "%s" at %s:%s'),
  UNKNOWN_FUNCTION: defineError('WS_ERR_RULE_SQL_UNKNOWN_FUNCTION', 400, 'unknown function "%s" at %s:%s'),
  ARITY: defineError('WS_ERR_RULE_SQL_ARITY', 400, 'function %s at %s:%s takes %s argument(s), got %s'),
  TYPE: defineError('WS_ERR_RULE_SQL_TYPE', 400, 'type error at %s:%s: %s'),
  AGGREGATE: defineError('WS_ERR_RULE_SQL_AGGREGATE', 400, 'aggregate misuse at %s:%s: %s'),
  WINDOW: defineError('WS_ERR_RULE_SQL_WINDOW', 400, 'invalid window at %s:%s: %s'),
  SEMANTIC: defineError('WS_ERR_RULE_SQL_SEMANTIC', 400, 'invalid rule at %s:%s: %s'),
} as const;

export type RuleSqlErrorDef = (typeof RuleSqlErrors)[keyof typeof RuleSqlErrors];

/** Where in the rule text a node starts; 1-based like every editor. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

export interface RuleSqlErrorInfo extends SourcePos {
  /** What the language would have accepted here, e.g. `FROM` or `a number`. */
  readonly expected?: string;
  /** A suggestion for the author, e.g. `did you mean "round"?`. */
  readonly hint?: string;
}

/** A rejected rule. `code` is one of {@link RuleSqlErrors}; position and hint are also in `details`. */
export class RuleSqlError extends WatershedError {
  readonly line: number;
  readonly column: number;
  readonly expected: string | undefined;
  readonly hint: string | undefined;

  constructor(def: ErrorDef, message: string, info: RuleSqlErrorInfo) {
    const details: Record<string, unknown> = { line: info.line, column: info.column };
    if (info.expected !== undefined) details['expected'] = info.expected;
    if (info.hint !== undefined) details['hint'] = info.hint;
    super(def, info.hint === undefined ? message : `${message} (${info.hint})`, details);
    this.name = 'RuleSqlError';
    this.line = info.line;
    this.column = info.column;
    this.expected = info.expected;
    this.hint = info.hint;
  }
}

/**
 * Builds a catalog error at `pos`. `args` fill the template's placeholders after the leading
 * line/column ones where the template starts with them; each template places them itself.
 */
export function ruleError(
  def: RuleSqlErrorDef,
  args: readonly (string | number)[],
  info: RuleSqlErrorInfo,
): RuleSqlError {
  let i = 0;
  const text = def.message.replace(/%s/g, () => String(args[i++] ?? ''));
  return new RuleSqlError(def, text, info);
}

/** Levenshtein distance, for "did you mean" hints; inputs are short identifiers. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidates to `word` (at most 3, distance ≤ max(2, len/3)), best first. */
export function closest(word: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= limit) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, 3).map((s) => s.c);
}

/**
 * Why one message failed: `evaluation` — the rule met data it cannot compute with (a missing
 * field, a wrong type, division by zero: an EvalFault); `exception` — anything else thrown while
 * evaluating, which points at a fault in the engine or a function rather than in the data.
 */
export type FailureKind = 'evaluation' | 'exception';

/** The failed outcome of one message, classified. */
export function failureOf(err: unknown): { ok: false; reason: string; kind: FailureKind } {
  return {
    ok: false,
    reason: err instanceof Error ? err.message : String(err),
    kind: err instanceof EvalFault ? 'evaluation' : 'exception',
  };
}

/** A per-message failure (bad type in arithmetic, undecodable base64 …); caught by evaluate(). */
export class EvalFault extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EvalFault';
  }
}
