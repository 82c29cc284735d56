import { silentLogger, systemClock, type Clock, type Logger, type Registry } from '@watershed/common';
import { compileRule, type CompiledRule, type FunctionTable } from '@watershed/rule-sql';
import type { ActionConfig, ActionType, SinkRegistry } from './actions/action.js';
import { ActionRegistry } from './actions/registry.js';
import { Dispatcher } from './dispatcher.js';
import { RuleEngineErrors } from './errors.js';
import { PromRuleMetrics, type RuleMetrics } from './metrics.js';
import { RuleRuntime, type RuntimeActions, type RuntimeDeps } from './rule-runtime.js';
import type { MessageSource } from './source.js';
import type { CheckpointStore } from './checkpoint.js';
import { Checkpointer, type CheckpointProblem, type CheckpointTarget } from './checkpointer.js';
import type { EventTimeOptions } from './event-time.js';
import type { TimerHandle } from '@watershed/common';

export interface RuleDefinition {
  readonly id: string;
  readonly sql: string;
  readonly actions?: readonly ActionConfig[];
  /** Default true. */
  readonly enabled?: boolean;
  readonly description?: string;
  /** Tumbling/hopping windows in event time instead of arrival time. */
  readonly eventTime?: EventTimeOptions;
}

export type RulePatch = Partial<Omit<RuleDefinition, 'id'>>;

/** A rule as the engine holds it: its definition plus what compiling it told us. */
export interface RuleInfo {
  readonly id: string;
  readonly sql: string;
  readonly actions: readonly ActionConfig[];
  readonly enabled: boolean;
  readonly description: string | undefined;
  readonly eventTime: EventTimeOptions | undefined;
  readonly sources: readonly string[];
  readonly window: CompiledRule['window'];
  /** Open window groups right now (0 for stateless or disabled rules). */
  readonly openGroups: number;
}

export interface RuleEngineOptions {
  readonly source: MessageSource;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** prom-client registry for `watershed_rule_*` counters. */
  readonly metrics?: Registry;
  /** Action types; defaults to the built-ins (republish, console, sink). */
  readonly actions?: ActionRegistry | readonly ActionType<never>[];
  /** Where `sink` actions write; without it every sink action fails its rows. */
  readonly sinks?: SinkRegistry;
  /** Extra SQL functions for every rule. */
  readonly functions?: FunctionTable;
  /**
   * Checkpoint rule state (open windows, analytic history) to `store` every `intervalMs`
   * (default: only on `checkpoint()` and `close()`); `restore()` reads it back. Windows save one
   * partial aggregate per group; only rules with custom aggregates that cannot keep their rows.
   * `onProblem` hears of every checkpoint that could not be saved or was unusable (corrupt, of
   * another format) — the rule then runs on with empty state, it never fails for it.
   */
  readonly checkpoint?: {
    readonly store: CheckpointStore;
    readonly intervalMs?: number;
    readonly onProblem?: (problem: CheckpointProblem) => void;
  };
}

export interface RuleEngine {
  /** Compiles and installs a rule. Throws RuleSqlError for bad SQL, WS_ERR_RULE_* otherwise. */
  addRule(def: RuleDefinition): RuleInfo;
  /**
   * Replaces parts of a rule; a bad patch throws and leaves the rule as it was. Any change
   * restarts the rule: open windows are dropped and analytic history (lag …) forgotten.
   */
  updateRule(id: string, patch: RulePatch): RuleInfo;
  /** Removes a rule; false when there was none. */
  removeRule(id: string): boolean;
  enable(id: string): RuleInfo;
  /** Stops routing to the rule and drops its open windows; metrics are kept. */
  disable(id: string): RuleInfo;
  getRule(id: string): RuleInfo | undefined;
  listRules(): RuleInfo[];
  /** A snapshot of the rule's counters. Throws WS_ERR_RULE_NOT_FOUND. */
  metrics(id: string): RuleMetrics;
  /** Distinct filters subscribed on the source (one per FROM filter in use). */
  subscriptions(): readonly string[];
  /** Saves the state of every enabled stateful rule (no-op without a checkpoint store). */
  checkpoint(): Promise<void>;
  /**
   * Merges saved state into the installed rules whose SQL is unchanged (same hash); call after
   * adding the rules at start. Windows whose end has passed emit at once. Returns how many rules
   * restored; corrupt or incompatible checkpoints are reported and skipped.
   */
  restore(): Promise<number>;
  /**
   * Saves a last checkpoint, detaches every rule, cancels window timers and waits for running
   * actions. Idempotent.
   */
  close(): Promise<void>;
}

interface Entry {
  def: Required<Omit<RuleDefinition, 'description' | 'eventTime'>> & {
    description: string | undefined;
    eventTime: EventTimeOptions | undefined;
  };
  runtime: RuleRuntime;
}

const emptySinks: SinkRegistry = { get: () => undefined };

export function createRuleEngine(opts: RuleEngineOptions): RuleEngine {
  return new Engine(opts);
}

class Engine implements RuleEngine {
  readonly #source: MessageSource;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #registry: ActionRegistry;
  readonly #sinks: SinkRegistry;
  readonly #functions: FunctionTable | undefined;
  readonly #dispatcher: Dispatcher;
  readonly #deps: RuntimeDeps;
  readonly #rules = new Map<string, Entry>();
  readonly #pending = new Set<Promise<void>>();
  readonly #prom: PromRuleMetrics | undefined;
  readonly #checkpointer: Checkpointer | undefined;
  readonly #interval: TimerHandle | undefined;
  #closed = false;
  /** Action promises not yet settled, and who waits for there to be none (close). */
  #actionsRunning = 0;
  #actionsIdle: (() => void) | undefined;

  constructor(opts: RuleEngineOptions) {
    this.#source = opts.source;
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger();
    this.#registry = opts.actions instanceof ActionRegistry ? opts.actions : new ActionRegistry(opts.actions);
    this.#sinks = opts.sinks ?? emptySinks;
    this.#functions = opts.functions;
    this.#dispatcher = new Dispatcher(this.#source, this.#logger);
    this.#prom = opts.metrics && new PromRuleMetrics(opts.metrics);
    this.#deps = {
      clock: this.#clock,
      logger: this.#logger,
      prom: this.#prom,
      track: (p) => {
        this.#pending.add(p);
        void p.finally(() => this.#pending.delete(p));
      },
      actionStarted: () => {
        this.#actionsRunning++;
      },
      actionSettled: () => {
        if (--this.#actionsRunning === 0 && this.#actionsIdle) {
          this.#actionsIdle();
          this.#actionsIdle = undefined;
        }
      },
      retainRows: opts.checkpoint !== undefined,
    };
    const cp = opts.checkpoint;
    this.#checkpointer = cp && new Checkpointer(cp.store, this.#clock, this.#logger, cp.onProblem);
    if (cp?.intervalMs) {
      this.#interval = this.#clock.setInterval(() => this.#deps.track(this.checkpoint()), cp.intervalMs);
      this.#interval.unref?.();
    }
  }

  addRule(def: RuleDefinition): RuleInfo {
    this.#open();
    if (this.#rules.has(def.id)) throw RuleEngineErrors.DUPLICATE_RULE.create([def.id]);
    const normal = {
      id: def.id,
      sql: def.sql,
      actions: [...(def.actions ?? [])],
      enabled: def.enabled ?? true,
      description: def.description,
      eventTime: def.eventTime,
    };
    const entry: Entry = { def: normal, runtime: this.#build(normal) };
    this.#rules.set(def.id, entry);
    if (normal.enabled) this.#dispatcher.attach(entry.runtime);
    this.#logger.info({ rule: def.id, sources: entry.runtime.rule.sources }, 'rule added');
    return this.#info(entry);
  }

  updateRule(id: string, patch: RulePatch): RuleInfo {
    this.#open();
    const entry = this.#get(id);
    const next = {
      ...entry.def,
      ...(patch.sql !== undefined ? { sql: patch.sql } : {}),
      ...(patch.actions !== undefined ? { actions: [...patch.actions] } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...('description' in patch ? { description: patch.description } : {}),
      ...('eventTime' in patch ? { eventTime: patch.eventTime } : {}),
    };
    // Build first: a bad patch must leave the running rule untouched.
    const runtime = this.#build(next);
    this.#stop(entry);
    const prev = entry.runtime.metrics;
    Object.assign(runtime.metrics, {
      ...prev,
      actions: patch.actions === undefined ? prev.actions : runtime.metrics.actions,
    });
    // The action metrics restart with new actions (above); so do their exported series.
    if (patch.actions !== undefined) this.#prom?.forgetActions(id);
    entry.def = next;
    entry.runtime = runtime;
    if (next.enabled) this.#dispatcher.attach(runtime);
    return this.#info(entry);
  }

  removeRule(id: string): boolean {
    const entry = this.#rules.get(id);
    if (!entry) return false;
    this.#stop(entry);
    this.#rules.delete(id);
    this.#prom?.forget(id);
    if (this.#checkpointer && entry.runtime.stateful) this.#deps.track(this.#checkpointer.remove(id));
    return true;
  }

  enable(id: string): RuleInfo {
    this.#open();
    const entry = this.#get(id);
    if (!entry.def.enabled) {
      entry.def = { ...entry.def, enabled: true };
      this.#dispatcher.attach(entry.runtime);
    }
    return this.#info(entry);
  }

  disable(id: string): RuleInfo {
    const entry = this.#get(id);
    if (entry.def.enabled) {
      this.#stop(entry);
      entry.def = { ...entry.def, enabled: false };
    }
    return this.#info(entry);
  }

  getRule(id: string): RuleInfo | undefined {
    const entry = this.#rules.get(id);
    return entry && this.#info(entry);
  }

  listRules(): RuleInfo[] {
    return [...this.#rules.values()].map((e) => this.#info(e));
  }

  metrics(id: string): RuleMetrics {
    return structuredClone(this.#get(id).runtime.metrics);
  }

  subscriptions(): readonly string[] {
    return this.#dispatcher.subscriptions;
  }

  async checkpoint(): Promise<void> {
    await this.#checkpointer?.save(this.#targets());
  }

  async restore(): Promise<number> {
    const cp = this.#checkpointer;
    if (!cp) return 0;
    const done = await Promise.all(this.#targets().map((t) => cp.restore(t)));
    return done.filter(Boolean).length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#interval) this.#clock.clearInterval(this.#interval);
    await this.checkpoint();
    for (const entry of this.#rules.values()) this.#stop(entry);
    while (this.#pending.size > 0 || this.#actionsRunning > 0) {
      await Promise.all([...this.#pending]);
      if (this.#actionsRunning > 0) await new Promise<void>((resolve) => (this.#actionsIdle = resolve));
    }
  }

  #build(def: Entry['def']): RuleRuntime {
    const compiled = compileRule(def.sql, {
      clock: this.#clock,
      ...(this.#functions ? { functions: this.#functions } : {}),
    });
    const deps = { source: this.#source, logger: this.#logger, sinks: this.#sinks, ruleId: def.id };
    const actions: RuntimeActions = {
      types: def.actions.map((a) => a.type),
      actions: def.actions.map((a) => this.#registry.create(a, deps)),
    };
    return new RuleRuntime(def.id, compiled, actions, this.#deps, def.eventTime);
  }

  #targets(): CheckpointTarget[] {
    return [...this.#rules.values()]
      .filter((e) => e.def.enabled && e.runtime.stateful)
      .map((e) => ({ id: e.def.id, sql: e.def.sql, eventTime: e.def.eventTime, runtime: e.runtime }));
  }

  #stop(entry: Entry): void {
    if (entry.def.enabled) this.#dispatcher.detach(entry.runtime);
    entry.runtime.stop();
  }

  #get(id: string): Entry {
    const entry = this.#rules.get(id);
    if (!entry) throw RuleEngineErrors.UNKNOWN_RULE.create([id]);
    return entry;
  }

  #open(): void {
    if (this.#closed) throw RuleEngineErrors.CLOSED.create();
  }

  #info(e: Entry): RuleInfo {
    return {
      id: e.def.id,
      sql: e.def.sql,
      actions: e.def.actions,
      enabled: e.def.enabled,
      description: e.def.description,
      eventTime: e.def.eventTime,
      sources: e.runtime.rule.sources,
      window: e.runtime.rule.window,
      openGroups: e.def.enabled ? e.runtime.openGroups : 0,
    };
  }
}
