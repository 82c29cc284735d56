import { formatIssues, validate } from '@watershed/common';
import { RuleEngineErrors } from '../errors.js';
import type { Action, ActionConfig, ActionDeps, ActionType } from './action.js';
import { consoleAction } from './console.js';
import { republishAction } from './republish.js';
import { sinkAction } from './sink.js';

/** The built-in action types, in one explicit list (STYLE: one registry, no second copy). */
export const builtinActionTypes: readonly ActionType<never>[] = [republishAction, consoleAction, sinkAction];

/** Action types by name; validates configs against each type's schema before creating actions. */
export class ActionRegistry {
  readonly #types = new Map<string, ActionType<never>>();

  constructor(types: readonly ActionType<never>[] = builtinActionTypes) {
    for (const t of types) this.register(t);
  }

  register(type: ActionType<never>): void {
    this.#types.set(type.type, type);
  }

  types(): readonly ActionType<never>[] {
    return [...this.#types.values()];
  }

  /** Validates and creates an action; throws WS_ERR_RULE_ACTION_UNKNOWN / _CONFIG. */
  create(config: ActionConfig, deps: ActionDeps): Action {
    const type = this.#types.get(config.type);
    if (!type) throw RuleEngineErrors.UNKNOWN_ACTION.create([deps.ruleId, String(config.type)]);
    const issues = validate(type.configSchema, config);
    if (issues.length > 0) {
      throw RuleEngineErrors.ACTION_CONFIG.create([deps.ruleId, config.type, formatIssues(issues)], {
        issues,
      });
    }
    return (type as ActionType<ActionConfig>).create(config, deps);
  }
}
