import { systemClock, type Clock, type Logger, silentLogger, type TimerHandle } from '@watershed/common';
import {
  ActionRegistry,
  RuleEngineErrors,
  builtinActionTypes,
  createRuleEngine,
  testRule,
  type ActionDeps,
  type ActionType,
  type RuleEngine,
  type RuleInfo,
} from '@watershed/rule-engine';
import type { Rule } from '@watershed/store';
import type {
  RuleMetricsSnapshot,
  RuleProblem,
  RuleRunState,
  RuleRuntime,
  RuleSpec,
  RuleTestContext,
  RuleTestInput,
  RuleTestResult,
} from '@watershed/console-api';
import type { RuleLatency } from './latency.js';
import { previewActions } from './preview.js';
import { toProblem } from './problems.js';
import { RuleRates } from './rate.js';
import { storedSpec } from './stored.js';

export interface EngineRuleRuntimeOptions {
  /** The server's rule engine; the runtime installs, replaces and removes rules in it. */
  readonly engine: RuleEngine;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The action types the engine was created with (default the built-ins): validation and test previews use them. */
  readonly actions?: readonly ActionType<never>[];
  /** Set when the engine's action types were wrapped by it (`latency.wrap(...)`). */
  readonly latency?: RuleLatency;
  /** Whether a `sink` action's sink exists; without it any sink id is accepted. */
  readonly sinkExists?: (id: string) => boolean;
  /** How often `matched` is sampled for the rate, default 5 s. */
  readonly rateSampleMs?: number;
}

type TestMessage = Parameters<typeof testRule>[1] extends infer M
  ? M extends readonly (infer E)[]
    ? E
    : M
  : never;

/**
 * The console's {@link RuleRuntime} over the server's rule engine: every change the rules API
 * stores is applied to the running engine at once, without a restart (issue 4, "Management").
 * Owns one timer (the rate sampler), stopped by `close()`.
 */
export class EngineRuleRuntime implements RuleRuntime {
  readonly #engine: RuleEngine;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #registry: ActionRegistry;
  /** Compiles rules exactly as the engine does, to validate them; it never receives a message. */
  readonly #scratch: RuleEngine;
  readonly #latency: RuleLatency | undefined;
  readonly #sinkExists: ((id: string) => boolean) | undefined;
  readonly #rates = new RuleRates();
  /** Rules enabled in the store that could not be installed, and why. */
  readonly #errors = new Map<string, RuleProblem>();
  readonly #sampler: TimerHandle;

  constructor(opts: EngineRuleRuntimeOptions) {
    this.#engine = opts.engine;
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger();
    const actions = opts.actions ?? builtinActionTypes;
    this.#registry = new ActionRegistry(actions);
    this.#scratch = createRuleEngine({
      source: { subscribe: () => () => undefined, publish: () => undefined },
      clock: this.#clock,
      actions,
    });
    this.#latency = opts.latency;
    this.#sinkExists = opts.sinkExists;
    this.#sampler = this.#clock.setInterval(() => this.#sample(), opts.rateSampleMs ?? 5_000);
    this.#sampler.unref?.();
  }

  /**
   * Installs the enabled rules of the store (call once at start, after seeding). A stored rule
   * that no longer installs (its action type is gone …) is logged and shown as `error`; the
   * others still run. Returns the ids installed.
   */
  load(rules: readonly Rule[]): string[] {
    const loaded: string[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const spec = storedSpec(rule);
      if (!spec) {
        this.#failed(rule.id, {
          code: 'WS_ERR_RULE_INVALID',
          message: `stored rule ${rule.id} has no readable definition`,
        });
        continue;
      }
      try {
        this.apply(spec);
        loaded.push(rule.id);
      } catch (err) {
        this.#failed(rule.id, toProblem(err));
      }
    }
    return loaded;
  }

  validate(spec: Omit<RuleSpec, 'enabled'>): RuleProblem[] {
    const problems: RuleProblem[] = [];
    const probe = '\u0000validate';
    try {
      this.#scratch.addRule({
        id: probe,
        sql: spec.sql,
        enabled: false,
        ...(spec.eventTime && { eventTime: spec.eventTime }),
      });
    } catch (err) {
      problems.push(toProblem(err, RuleEngineErrors.EVENT_TIME.is(err) ? 'eventTime' : 'sql'));
    } finally {
      this.#scratch.removeRule(probe);
    }
    const deps: ActionDeps = {
      source: { subscribe: () => () => undefined, publish: () => undefined },
      logger: silentLogger(),
      sinks: { get: () => undefined },
      ruleId: spec.id,
    };
    spec.actions.forEach((action, i) => {
      try {
        this.#registry.create(action, deps);
        const sink = action.type === 'sink' ? action['sink'] : undefined;
        if (typeof sink === 'string' && this.#sinkExists && !this.#sinkExists(sink)) {
          throw RuleEngineErrors.UNKNOWN_SINK.create([sink]);
        }
      } catch (err) {
        problems.push(toProblem(err, `actions.${i}`));
      }
    });
    return problems;
  }

  apply(spec: RuleSpec): void {
    const current = this.#engine.getRule(spec.id);
    const definition = {
      sql: spec.sql,
      actions: spec.actions,
      description: spec.description,
      eventTime: spec.eventTime,
    };
    if (!current) {
      // A disabled rule is not installed until it is enabled: it has nothing to count.
      if (spec.enabled) {
        this.#engine.addRule({ id: spec.id, enabled: true, ...definition });
        // A first rate sample at install, so the rate shows within one sampling interval
        // instead of reading 0/s until the sampler has seen the rule twice.
        this.#rates.sample(spec.id, 0, this.#clock.now());
      }
    } else if (sameDefinition(current, spec)) {
      if (spec.enabled) this.#engine.enable(spec.id);
      else this.#engine.disable(spec.id);
    } else {
      // Throws on a bad definition and leaves the running rule as it was; keeps its counters.
      this.#engine.updateRule(spec.id, { ...definition, enabled: spec.enabled });
    }
    this.#errors.delete(spec.id);
  }

  remove(id: string): void {
    this.#engine.removeRule(id);
    this.#errors.delete(id);
    this.#rates.forget(id);
    this.#latency?.forget(id);
  }

  test(input: RuleTestInput): RuleTestResult {
    const contexts = (Array.isArray(input.context) ? input.context : [input.context]) as RuleTestContext[];
    const now = this.#clock.now();
    const messages = contexts.map((c) => toMessage(c, now));
    const r = testRule(input.sql, messages, { clock: this.#clock });
    if (!r.ok) {
      const error: RuleProblem =
        r.stage === 'compile'
          ? { ...r.error, path: 'sql' }
          : { code: 'WS_ERR_RULE_EVALUATE', message: r.reason };
      return { ok: false, matched: false, rows: [], errors: [error], actions: [] };
    }
    const rows = r.rows as Record<string, unknown>[];
    return {
      ok: true,
      matched: r.matched,
      rows,
      errors: [],
      actions: previewActions(this.#registry, input.actions ?? [], rows, this.#sinkExists),
    };
  }

  metrics(id: string): RuleMetricsSnapshot | undefined {
    if (!this.#engine.getRule(id)) return undefined;
    const m = this.#engine.metrics(id);
    const latency = this.#latency?.summary(id);
    return {
      matched: m.matched,
      passed: m.passed,
      noResult: m.noResult,
      failed: m.failed,
      failedByReason: { ...m.failedBy },
      rowsOut: m.rowsOut,
      windowsEmitted: m.windowsEmitted,
      ratePerSecond: this.#rates.rate(id, m.matched, this.#clock.now()),
      ...(latency && { latencyMs: latency }),
      ...(m.lastError && { lastError: { ...m.lastError } }),
      actions: m.actions.map((a, index) => ({
        index,
        type: a.type,
        success: a.success,
        failed: a.failed,
        ...(a.lastError && { lastError: { ...a.lastError } }),
      })),
    };
  }

  status(id: string): RuleRunState {
    const error = this.#errors.get(id);
    if (error) return { state: 'error', error };
    return this.#engine.getRule(id)?.enabled ? { state: 'running' } : { state: 'stopped' };
  }

  /** Stops the rate sampler and the validation engine; the server's engine stays the server's. */
  async close(): Promise<void> {
    this.#clock.clearInterval(this.#sampler);
    await this.#scratch.close();
  }

  #failed(id: string, problem: RuleProblem): void {
    this.#errors.set(id, problem);
    this.#logger.error({ rule: id, problem }, 'stored rule could not be installed');
  }

  #sample(): void {
    const now = this.#clock.now();
    for (const rule of this.#engine.listRules()) {
      this.#rates.sample(rule.id, this.#engine.metrics(rule.id).matched, now);
    }
  }
}

function sameDefinition(current: RuleInfo, spec: RuleSpec): boolean {
  return (
    current.sql === spec.sql &&
    current.description === spec.description &&
    JSON.stringify(current.actions) === JSON.stringify(spec.actions) &&
    JSON.stringify(current.eventTime) === JSON.stringify(spec.eventTime)
  );
}

/**
 * A test context as the engine would build it from a broker message: the payload as its JSON
 * text (so `SELECT payload` shows text, as EMQX does), `timestamp` now unless given.
 */
function toMessage(c: RuleTestContext, now: number): TestMessage {
  const payload =
    c.payload === undefined || typeof c.payload === 'string' ? c.payload : JSON.stringify(c.payload);
  return {
    ...c,
    ...(payload !== undefined && { payload }),
    timestamp: c.timestamp ?? now,
    publish_received_at: c.timestamp ?? now,
    user_properties: c.user_properties ?? {},
  };
}
