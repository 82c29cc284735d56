import type { Clock, Logger } from '@watershed/common';
import { topicMatches } from '@watershed/rule-sql';
import type { CompiledRule, EvalResult, MessageContext, Row, WindowBounds } from '@watershed/rule-sql';
import type { Action } from './actions/action.js';
import { emptyRuleMetrics, type PromRuleMetrics, type RuleFailureKind, type RuleMetrics } from './metrics.js';
import { RuleEngineErrors } from './errors.js';
import { eventTimeReader, type EventTimeOptions } from './event-time.js';
import { EventTimeWindows } from './windows/event-time.js';
import { createWindow, type WindowOperator, type WindowState } from './windows/index.js';

type Windows = Pick<WindowOperator, 'openGroups' | 'snapshot' | 'restore' | 'stop'>;

export interface RuntimeDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly prom: PromRuleMetrics | undefined;
  /** Takes ownership of a promise so `close()` can wait for it; never rejects. */
  readonly track: (p: Promise<void>) => void;
  /**
   * Count an action's promise in and out, so `close()` can wait for it. A counter rather than
   * `track`, because actions run per message: no Set entry and no `finally` promise each.
   */
  readonly actionStarted: () => void;
  readonly actionSettled: () => void;
  /**
   * Windows are checkpointed: groups of rules whose aggregates cannot save a partial state keep
   * their rows so they can be.
   */
  readonly retainRows: boolean;
}

interface ActionHandlers {
  readonly ok: () => void;
  readonly failed: (err: unknown) => void;
}

/** What a checkpoint holds of one rule. */
export interface RuleState {
  readonly windows?: WindowState;
  readonly analytics?: readonly unknown[];
}

export interface RuntimeActions {
  readonly types: readonly string[];
  readonly actions: readonly Action[];
}

/**
 * One enabled, compiled rule: evaluates the messages the dispatcher hands it, runs its window if
 * it has one, and fans rows out to its actions. A failure of one message or one action is counted
 * and logged at debug level; it never throws out of `handle`.
 */
export class RuleRuntime {
  readonly id: string;
  readonly rule: CompiledRule;
  readonly metrics: RuleMetrics;
  readonly #deps: RuntimeDeps;
  readonly #actions: RuntimeActions;
  readonly #oneRow: readonly ActionHandlers[];
  /** Processing-time windows. */
  readonly #window: WindowOperator | undefined;
  /** Event-time windows, with the reader of the rule's timestamp field. */
  readonly #eventTime: { windows: EventTimeWindows; read: ReturnType<typeof eventTimeReader> } | undefined;

  constructor(
    id: string,
    rule: CompiledRule,
    actions: RuntimeActions,
    deps: RuntimeDeps,
    eventTime?: EventTimeOptions,
  ) {
    this.id = id;
    this.rule = rule;
    this.#actions = actions;
    this.#deps = deps;
    this.metrics = emptyRuleMetrics(actions.types);
    this.#oneRow = actions.actions.map((_, i) => this.#handlers(i, 1));
    const windowDeps = {
      rule,
      clock: deps.clock,
      retainRows: deps.retainRows && !rule.checkpointable,
      emit: (results: readonly EvalResult[], bounds: WindowBounds) => this.#onWindow(results, bounds),
    };
    const spec = rule.window;
    if (eventTime) {
      if (spec?.kind !== 'tumbling' && spec?.kind !== 'hopping') {
        throw RuleEngineErrors.EVENT_TIME.create([id, spec ? `${spec.kind} window` : 'no window']);
      }
      const hop = spec.kind === 'hopping' ? spec.hopMs : spec.sizeMs;
      const windows = new EventTimeWindows(windowDeps, spec.sizeMs, hop, eventTime.lateToleranceMs ?? 0);
      this.#eventTime = { windows, read: eventTimeReader(eventTime.field) };
    } else {
      this.#window = spec && createWindow(spec, windowDeps);
    }
  }

  get #windows(): Windows | undefined {
    return this.#window ?? this.#eventTime?.windows;
  }

  /** Open window groups (0 for stateless rules). */
  get openGroups(): number {
    return this.#windows?.openGroups ?? 0;
  }

  /**
   * Whether this rule should take a message that arrived through `filter`: a rule with several
   * overlapping sources takes each message once, through the first of its sources that matches.
   */
  ownsDelivery(filter: string, topic: string): boolean {
    const sources = this.rule.sources;
    if (sources.length === 1) return true;
    return sources.find((s) => s === topic || topicMatches(s, topic)) === filter;
  }

  handle(ctx: MessageContext): void {
    const m = this.metrics;
    m.matched++;
    if (this.rule.window) {
      const accepted = this.rule.accept(ctx);
      if (!accepted.ok) return this.#fail(accepted.reason, accepted.kind);
      if (!accepted.row) return this.#outcome('no_result');
      if (this.#eventTime) {
        const ts = this.#eventTime.read(ctx);
        if (ts === undefined) return this.#fail('no usable event time in the message', 'event_time');
        if (!this.#eventTime.windows.addAt(accepted.row, ts)) {
          m.late++;
          return this.#fail(`late: event time ${ts} is behind the watermark`, 'late');
        }
      } else {
        this.#window?.add(accepted.row);
      }
      this.#outcome('passed');
      return;
    }
    const result = this.rule.evaluate(ctx);
    if (!result.ok) return this.#fail(result.reason, result.kind);
    if (result.rows.length === 0) return this.#outcome('no_result');
    this.#outcome('passed');
    this.#runActions(result.rows, ctx);
  }

  /** Whether the rule has state worth a checkpoint (windows or analytic history). */
  get stateful(): boolean {
    return this.rule.window !== undefined || this.rule.hasAnalytics;
  }

  /** Open windows and analytic history as data; undefined for rules without state. */
  snapshot(): RuleState | undefined {
    if (!this.stateful) return undefined;
    const windows = this.#windows?.snapshot();
    return {
      ...(windows ? { windows } : {}),
      ...(this.rule.hasAnalytics ? { analytics: this.rule.saveAnalytics() } : {}),
    };
  }

  /** Brings a snapshot back; throws when it does not fit the rule (the caller reports it). */
  restore(state: RuleState): void {
    if (state.analytics) this.rule.loadAnalytics(state.analytics);
    if (state.windows) this.#windows?.restore(state.windows);
  }

  /** Cancels window timers and drops open windows. */
  stop(): void {
    this.#windows?.stop();
  }

  #onWindow(results: readonly EvalResult[], bounds: WindowBounds): void {
    this.metrics.windowsEmitted++;
    const rows: Row[] = [];
    for (const r of results) {
      if (r.ok) rows.push(...r.rows);
      else this.#fail(r.reason, r.kind, bounds);
    }
    if (rows.length > 0) this.#runActions(rows, undefined);
  }

  #outcome(o: 'passed' | 'no_result'): void {
    if (o === 'passed') this.metrics.passed++;
    else this.metrics.noResult++;
    this.#deps.prom?.message(this.id, o);
  }

  #fail(reason: string, kind: RuleFailureKind, bounds?: WindowBounds): void {
    this.metrics.failed++;
    this.metrics.failedBy[kind]++;
    this.metrics.lastError = { reason, at: this.#deps.clock.now() };
    this.#deps.prom?.message(this.id, 'failed');
    this.#deps.prom?.failure(this.id, kind);
    this.#deps.logger.debug({ rule: this.id, reason, window: bounds }, 'rule evaluation failed');
  }

  #runActions(rows: readonly Row[], input: MessageContext | undefined): void {
    this.metrics.rowsOut += rows.length;
    const { actions } = this.#actions;
    for (let i = 0; i < actions.length; i++) {
      // The one-row case (a stateless rule's message) reuses handlers made once per action: a
      // closure pair per message and action was a measurable share of the hot path.
      const h = rows.length === 1 ? this.#oneRow[i]! : this.#handlers(i, rows.length);
      try {
        const r = actions[i]!.run(rows, input);
        if (r instanceof Promise) {
          this.#deps.actionStarted();
          void r.then(h.ok, h.failed);
        } else {
          this.#actionDone(i, rows.length, undefined);
        }
      } catch (err) {
        this.#actionDone(i, rows.length, { err });
      }
    }
  }

  /** Settlement handlers of action `i` for an async run over `n` rows. */
  #handlers(i: number, n: number): ActionHandlers {
    return {
      ok: () => {
        this.#deps.actionSettled();
        this.#actionDone(i, n, undefined);
      },
      failed: (err: unknown) => {
        this.#deps.actionSettled();
        this.#actionDone(i, n, { err });
      },
    };
  }

  #actionDone(i: number, rows: number, failure: { err: unknown } | undefined): void {
    const type = this.#actions.types[i]!;
    const am = this.metrics.actions[i]!;
    if (failure === undefined) {
      am.success += rows;
      this.#deps.prom?.action(this.id, `${i}:${type}`, 'success', rows);
      return;
    }
    const { err } = failure;
    const reason = err instanceof Error ? err.message : String(err);
    am.failed += rows;
    am.lastError = { reason, at: this.#deps.clock.now() };
    this.#deps.prom?.action(this.id, `${i}:${type}`, 'failed', rows);
    this.#deps.logger.debug({ rule: this.id, action: type, reason }, 'rule action failed');
  }
}
