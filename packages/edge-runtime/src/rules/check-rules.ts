import { silentLogger, systemClock, type ConfigIssue } from '@watershed/common';
import type { EdgeRuleConfig } from './rule-config.js';

/**
 * Compiles a config's rules without running them; every problem as an issue at `rules.{i}`.
 * The rule engine (and its SQL parser) is loaded only when a config has rules: it is a fifth of
 * a gateway's memory at start, which a gateway without rules should not pay.
 */
export async function checkEdgeRules(rules: readonly EdgeRuleConfig[]): Promise<ConfigIssue[]> {
  if (rules.length === 0) return [];
  const { checkRules } = await import('./edge-rules.js');
  return checkRules(rules, systemClock, silentLogger());
}

/** Rule ids must be unique in a gateway: a check that needs no engine. */
export function checkRuleIds(rules: readonly EdgeRuleConfig[]): ConfigIssue[] {
  const seen = new Set<string>();
  return rules.flatMap((rule, i) => {
    const dup = seen.has(rule.id);
    seen.add(rule.id);
    return dup
      ? [{ path: `rules.${i}.id`, value: rule.id, expected: 'a rule id unique in this gateway' }]
      : [];
  });
}
