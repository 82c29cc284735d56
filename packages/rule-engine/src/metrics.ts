import { Counter, type Registry } from '@watershed/common';
import type { FailureKind } from '@watershed/rule-sql';

export interface FailureInfo {
  readonly reason: string;
  /** Clock time (ms) of the failure. */
  readonly at: number;
}

/**
 * Why a message failed in a rule: the rule-sql kinds (`evaluation`: data the rule cannot compute
 * with; `exception`: a fault in a function or the engine), plus those of event time: `late` (its
 * window had closed) and `event_time` (the message carried no usable event time).
 */
export type RuleFailureKind = FailureKind | 'late' | 'event_time';

export const RULE_FAILURE_KINDS: readonly RuleFailureKind[] = [
  'evaluation',
  'exception',
  'late',
  'event_time',
];

/** Per action of a rule, in the rule's action order. */
export interface ActionMetrics {
  readonly type: string;
  /** Rows handed over successfully. */
  success: number;
  /** Rows whose hand-over threw or rejected. */
  failed: number;
  lastError: FailureInfo | undefined;
}

/**
 * Per rule. For every message that reaches a rule, exactly one of `passed` (rows produced, or
 * accepted into a window), `noResult` (filtered by WHERE or FOREACH gave nothing) or `failed`
 * counts, so `matched = passed + noResult + failed` (EMQX rule metrics). Window emits count
 * separately: `windowsEmitted`, and `failed` again for a group that failed to project.
 */
export interface RuleMetrics {
  matched: number;
  passed: number;
  failed: number;
  noResult: number;
  /** Rows handed to the actions (after FOREACH fan-out or window emit). */
  rowsOut: number;
  windowsEmitted: number;
  /** Event-time rules: messages dropped because their windows had closed (also in `failed`). */
  late: number;
  /** `failed` split by why; the kinds add up to `failed`. */
  readonly failedBy: Record<RuleFailureKind, number>;
  lastError: FailureInfo | undefined;
  readonly actions: ActionMetrics[];
}

export function emptyRuleMetrics(actionTypes: readonly string[]): RuleMetrics {
  return {
    matched: 0,
    passed: 0,
    failed: 0,
    noResult: 0,
    rowsOut: 0,
    windowsEmitted: 0,
    late: 0,
    failedBy: { evaluation: 0, exception: 0, late: 0, event_time: 0 },
    lastError: undefined,
    actions: actionTypes.map((type) => ({ type, success: 0, failed: 0, lastError: undefined })),
  };
}

export type RuleOutcome = 'passed' | 'failed' | 'no_result';

/** The same figures exported to Prometheus, when the engine is given a registry. */
export class PromRuleMetrics {
  readonly #messages: Counter<'rule' | 'outcome'>;
  readonly #actions: Counter<'rule' | 'action' | 'outcome'>;
  readonly #failures: Counter<'rule' | 'reason'>;
  readonly #actionLabels = new Map<string, Set<string>>();

  constructor(registry: Registry) {
    this.#messages = new Counter({
      name: 'watershed_rule_messages_total',
      help: 'Messages that reached a rule, by outcome (passed, failed, no_result)',
      labelNames: ['rule', 'outcome'],
      registers: [registry],
    });
    this.#failures = new Counter({
      name: 'watershed_rule_failures_total',
      help: 'Messages that failed in a rule, by reason (evaluation, exception, late, event_time)',
      labelNames: ['rule', 'reason'],
      registers: [registry],
    });
    this.#actions = new Counter({
      name: 'watershed_rule_action_rows_total',
      help: 'Rows handed to rule actions, by outcome (success, failed)',
      labelNames: ['rule', 'action', 'outcome'],
      registers: [registry],
    });
  }

  message(rule: string, outcome: RuleOutcome): void {
    this.#messages.inc({ rule, outcome });
  }

  failure(rule: string, reason: RuleFailureKind): void {
    this.#failures.inc({ rule, reason });
  }

  action(rule: string, action: string, outcome: 'success' | 'failed', rows: number): void {
    this.#actions.inc({ rule, action, outcome }, rows);
    let seen = this.#actionLabels.get(rule);
    if (!seen) this.#actionLabels.set(rule, (seen = new Set()));
    seen.add(action);
  }

  /** Drops a removed rule's series, so a long-lived server does not export every rule it ever ran. */
  forget(rule: string): void {
    for (const outcome of ['passed', 'failed', 'no_result'] as const)
      this.#messages.remove({ rule, outcome });
    for (const reason of RULE_FAILURE_KINDS) this.#failures.remove({ rule, reason });
    this.forgetActions(rule);
  }

  /** Drops a rule's action series: its actions were replaced, and their counts start again. */
  forgetActions(rule: string): void {
    // prom-client removes a series by its full label set only, hence the actions seen are kept.
    for (const action of this.#actionLabels.get(rule) ?? []) {
      this.#actions.remove({ rule, action, outcome: 'success' });
      this.#actions.remove({ rule, action, outcome: 'failed' });
    }
    this.#actionLabels.delete(rule);
  }
}
