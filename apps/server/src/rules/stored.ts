import type { Rule } from '@watershed/store';
import { Value } from 'typebox/value';
import { StoredRuleDefinition, type RuleSpec } from '@watershed/console-api';

/** The spec of a stored rule, or undefined when its definition is not one the console wrote. */
export function storedSpec(rule: Rule): RuleSpec | undefined {
  if (!Value.Check(StoredRuleDefinition, rule.definition)) return undefined;
  const def = rule.definition;
  return {
    id: rule.id,
    sql: def.sql,
    actions: def.actions,
    enabled: rule.enabled,
    ...(def.description !== undefined && { description: def.description }),
    ...(def.eventTime !== undefined && { eventTime: def.eventTime }),
  };
}
