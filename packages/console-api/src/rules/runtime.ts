/**
 * What the rules routes need from the process that runs the rules (issue 4, "Management").
 * console-api may not import the rule engine (DESIGN: dependency direction), so the contract
 * lives here and `apps/server/src/rules/` implements it over the server's engine.
 *
 * The routes own persistence (`store.metadata.rules`); the runtime only mirrors what the store
 * holds into the running engine. Every method is synchronous because compiling and installing a
 * rule is: a change is in effect when the call returns.
 */

/** One action of a rule: its type (`republish`, `sink`, `console` …) plus that type's fields. */
export interface RuleActionSpec {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Event-time settings of a tumbling/hopping rule (see the rule engine's EventTimeOptions). */
export interface RuleEventTimeSpec {
  readonly field: string;
  readonly lateToleranceMs?: number;
}

/** A rule as the runtime installs it. */
export interface RuleSpec {
  readonly id: string;
  readonly sql: string;
  readonly actions: readonly RuleActionSpec[];
  readonly enabled: boolean;
  readonly description?: string;
  readonly eventTime?: RuleEventTimeSpec;
}

/**
 * Why a rule cannot run, in the shape the console underlines in its SQL editor: SQL errors carry
 * `line`/`column` (1-based), what the parser `expected` and a `hint`; action errors name the
 * action by `path` (`actions.1`).
 */
export interface RuleProblem {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
  readonly column?: number;
  readonly expected?: string;
  readonly hint?: string;
}

/** One sample message or event a test run feeds to the rule (EMQX rule-test context fields). */
export interface RuleTestContext {
  readonly topic?: string;
  /** Text as published, or a JSON value (sent to the rule as its JSON text). */
  readonly payload?: unknown;
  readonly qos?: number;
  readonly retain?: boolean;
  readonly clientid?: string;
  readonly username?: string;
  readonly peerhost?: string;
  readonly timestamp?: number;
  readonly node?: string;
  readonly user_properties?: Readonly<Record<string, string>>;
  /** For `$events/…` rules: `client.connected`, `client.disconnected` … */
  readonly event?: string;
  readonly [field: string]: unknown;
}

export interface RuleTestInput {
  readonly sql: string;
  readonly actions?: readonly RuleActionSpec[];
  readonly eventTime?: RuleEventTimeSpec;
  /** One message, or several in order (a windowed rule puts them all into one window). */
  readonly context: RuleTestContext | readonly RuleTestContext[];
}

/** What one action would have done with the output rows; nothing is sent. */
export interface RuleActionPreview {
  readonly index: number;
  readonly type: string;
  /** One entry per row, e.g. `{ topic, payload, qos, retain }` for republish. */
  readonly effects: Record<string, unknown>[];
  readonly problem?: RuleProblem;
}

export interface RuleTestResult {
  /** True when the SQL compiled and every message evaluated. */
  readonly ok: boolean;
  /** Whether the rule's FROM matches the context topics (rows are computed either way). */
  readonly matched: boolean;
  readonly rows: Record<string, unknown>[];
  readonly errors: RuleProblem[];
  readonly actions: RuleActionPreview[];
}

export interface RuleActionMetrics {
  readonly index: number;
  readonly type: string;
  readonly success: number;
  readonly failed: number;
  readonly lastError?: { readonly reason: string; readonly at: number };
}

/**
 * Counters since the rule was installed in this process (a restart starts from zero, as EMQX's
 * do). `matched = passed + noResult + failed`.
 */
export interface RuleMetricsSnapshot {
  readonly matched: number;
  readonly passed: number;
  /** Filtered out by WHERE, or FOREACH produced nothing. */
  readonly noResult: number;
  readonly failed: number;
  /**
   * `failed` split by cause: `evaluation` (missing field, wrong type …), `exception` (a fault in a
   * function or the engine), `late` and `event_time` (event-time rules).
   */
  readonly failedByReason: Record<string, number>;
  readonly rowsOut: number;
  readonly windowsEmitted: number;
  /** Messages matched per second over the last minute. */
  readonly ratePerSecond: number;
  /** From the broker accepting a message to the rule's actions having handed on its rows. */
  readonly latencyMs?: {
    readonly count: number;
    readonly mean: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly lastError?: { readonly reason: string; readonly at: number };
  readonly actions: RuleActionMetrics[];
}

export type RuleRunState =
  /** Installed and receiving messages. */
  | { readonly state: 'running' }
  /** Disabled, or not installed. */
  | { readonly state: 'stopped' }
  /** Enabled in the store but could not be installed (e.g. its sink type is gone). */
  | { readonly state: 'error'; readonly error: RuleProblem };

export interface RuleRuntime {
  /** Every problem that would stop the rule from being installed; empty when it would run. No side effects. */
  validate(spec: Omit<RuleSpec, 'enabled'>): RuleProblem[];
  /**
   * Installs, replaces, enables or disables the rule to match `spec`. A disabled rule stops
   * receiving messages at once. Throws (leaving the running rule as it was) when `spec` is invalid.
   */
  apply(spec: RuleSpec): void;
  /** Uninstalls the rule; a no-op when it is not installed. */
  remove(id: string): void;
  /** Runs SQL on sample messages with no side effects: no bus, no windows, no actions. */
  test(input: RuleTestInput): RuleTestResult;
  /** The rule's counters, or undefined when it has never been installed in this process. */
  metrics(id: string): RuleMetricsSnapshot | undefined;
  status(id: string): RuleRunState;
}
