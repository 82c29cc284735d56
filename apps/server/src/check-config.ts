import { Errors, formatIssues, type ConfigIssue } from '@watershed/common';
import { testRule } from '@watershed/rule-engine';
import type { ServerConfig } from './config.js';

/**
 * What the schema cannot check in a server config: every rule compiles, and rule ids are
 * unique. Throws WS_ERR_CONFIG_INVALID naming `rules.N.sql` with the line and column, so a
 * broken rule stops start-up (and `watershed config check server`) before anything listens.
 */
export function checkServerConfig(config: ServerConfig, label = 'server config'): void {
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  config.rules.forEach((rule, i) => {
    if (ids.has(rule.id))
      issues.push({ path: `rules.${i}.id`, value: rule.id, expected: 'a rule id unique in this file' });
    ids.add(rule.id);
    const r = testRule(rule.sql, []);
    if (!r.ok && r.stage === 'compile') {
      const at = r.error.line !== undefined ? `line ${r.error.line}, column ${r.error.column ?? '?'}: ` : '';
      const hint = r.error.hint ? ` (${r.error.hint})` : '';
      issues.push({
        path: `rules.${i}.sql`,
        value: rule.sql,
        expected: `valid rule SQL — ${at}${r.error.message}${hint}`,
      });
    }
  });
  if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
}
