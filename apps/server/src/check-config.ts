import { Errors, formatIssues, systemClock, type ConfigIssue } from '@watershed/common';
import { checkBrokerConfig } from '@watershed/mqtt-broker';
import { testRule } from '@watershed/rule-engine';
import { checkBridgesConfig } from './bridges/check.js';
import type { ServerConfig } from './config.js';
import { checkMetersConfig } from './meters/index.js';
import { serverSinkRegistry } from './sinks.js';

/** Sinks every server has without configuration (see server.ts). */
export const BUILTIN_SINKS: readonly string[] = ['store'];

/**
 * What the server schema alone cannot check: every rule compiles, rule ids are unique, every
 * sink matches its type's schema (`sinks.1.url`), sink ids are unique and not built in, and
 * every rule `sink` action names a sink that exists, and the `broker` section passes the broker's own checks. Throws WS_ERR_CONFIG_INVALID naming `rules.N.sql` with the line and column, so a
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
  issues.push(...checkSinks(config));
  // What the broker's schema cannot say (TLS files exist, CIDRs, hashes, auth sources), by path.
  if (config.broker)
    issues.push(...checkBrokerConfig(config.broker).map((i) => ({ ...i, path: `broker.${i.path}` })));
  if (config.meters) issues.push(...checkMetersConfig(config.meters));
  issues.push(...checkBridgesConfig(config.bridges));
  if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
}

function checkSinks(config: ServerConfig): ConfigIssue[] {
  const issues = serverSinkRegistry({ clock: systemClock }).check(config.sinks, 'sinks');
  config.sinks.forEach((s, i) => {
    if (BUILTIN_SINKS.includes(s.id))
      issues.push({ path: `sinks.${i}.id`, value: s.id, expected: `an id other than the built-in ${s.id}` });
  });
  const known = new Set([...BUILTIN_SINKS, ...config.sinks.map((s) => s.id)]);
  config.rules.forEach((rule, i) => {
    rule.actions.forEach((a, j) => {
      const sink = (a as { sink?: unknown }).sink;
      if (a.type === 'sink' && typeof sink === 'string' && !known.has(sink)) {
        issues.push({
          path: `rules.${i}.actions.${j}.sink`,
          value: sink,
          expected: `a configured sink id (one of: ${[...known].join(', ')})`,
        });
      }
    });
  });
  return issues;
}
