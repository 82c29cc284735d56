import type { Clock, ConfigIssue, Logger } from '@watershed/common';
import type { Sample } from '@watershed/model';
import { consoleAction, createRuleEngine, type RuleEngine, type RuleMetrics } from '@watershed/rule-engine';
import type { TagConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';
import { upstreamAction, writeAction, type EdgeActionContext } from './edge-actions.js';
import { RuleBuildError } from './rule-build-error.js';
import type { EdgeRuleConfig } from './rule-config.js';
import { SampleBus } from './sample-bus.js';

/**
 * One config version's edge rules, running: a rule engine of their own over the plant's
 * samples. Built with the plant it reads and stopped with it, so a config swap or a rollback
 * replaces the rules with the devices, atomically (ConfigApplier). Open windows do not outlive
 * their version: a changed rule starts counting afresh, as a rule update in the engine does.
 */
export class EdgeRules {
  readonly #bus: SampleBus;
  readonly #engine: RuleEngine;
  readonly #ids: readonly string[];
  #closing: Promise<void> | undefined;

  private constructor(bus: SampleBus, engine: RuleEngine, ids: readonly string[]) {
    this.#bus = bus;
    this.#engine = engine;
    this.#ids = ids;
  }

  /** Compiles and installs every rule; throws a RuleBuildError naming the first bad one. */
  static create(opts: {
    rules: readonly EdgeRuleConfig[];
    context: EdgeActionContext;
    clock: Clock;
    logger: Logger;
  }): EdgeRules {
    const bus = new SampleBus();
    const engine = createRuleEngine({
      source: bus,
      clock: opts.clock,
      logger: opts.logger,
      actions: [upstreamAction(opts.context), writeAction(opts.context), consoleAction],
    });
    for (const [i, rule] of opts.rules.entries()) {
      try {
        engine.addRule({
          id: rule.id,
          sql: rule.sql,
          actions: rule.actions,
          ...(rule.enabled !== undefined ? { enabled: rule.enabled } : {}),
          ...(rule.description !== undefined ? { description: rule.description } : {}),
        });
      } catch (err) {
        void engine.close();
        throw new RuleBuildError(
          `rules.${i}`,
          EdgeErrors.RULE_INVALID.create([rule.id, (err as Error).message], undefined, err),
        );
      }
    }
    return new EdgeRules(
      bus,
      engine,
      opts.rules.map((r) => r.id),
    );
  }

  /** One poll of a group (raw samples in tag order); cheap when no rule reads the group. */
  feed(group: string, ts: number, tags: readonly TagConfig[], samples: readonly Sample[]): void {
    this.#bus.feed(group, ts, tags, samples);
  }

  metrics(): Record<string, RuleMetrics> {
    return Object.fromEntries(this.#ids.map((id) => [id, this.#engine.metrics(id)]));
  }

  /** Stops the rules and waits for actions in flight (a write and its read-back). */
  close(): Promise<void> {
    this.#closing ??= this.#engine.close();
    return this.#closing;
  }
}

/**
 * Compiles rules without running them: every problem as a config issue at `rules.{i}`
 * (duplicate ids are checkRuleIds's, which needs no engine).
 */
export function checkRules(rules: readonly EdgeRuleConfig[], clock: Clock, logger: Logger): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const inert: EdgeActionContext = {
    site: '-',
    node: '-',
    logger,
    now: () => clock.now(),
    upstream: () => undefined,
    write: () => Promise.reject(new Error('not running')),
    writeTimeoutMs: 1,
  };
  rules.forEach((rule, i) => {
    try {
      void EdgeRules.create({ rules: [rule], context: inert, clock, logger }).close();
    } catch (err) {
      const cause = (err instanceof RuleBuildError ? err.error.cause : err) as Error & { line?: number };
      // rule-sql errors carry a position in the text; the others are about the actions.
      const inSql = typeof cause.line === 'number';
      issues.push({
        path: inSql ? `rules.${i}.sql` : `rules.${i}.actions`,
        value: inSql ? rule.sql : rule.actions,
        expected: `a valid rule (${cause.message})`,
      });
    }
  });
  return issues;
}
