import { silentLogger, systemClock, type ConfigIssue } from '@watershed/common';
import { MqttBridgeErrors, MqttBridgeIngress } from '@watershed/sink-mqtt-bridge';
import type { BridgesConfig } from './config.js';

/**
 * What the bridges' schema cannot check, by path (`bridges.ingress.1.mappings`): ids are
 * unique; no two bridges share a client id on one remote (the remote would take over one
 * session with the other [MQTT-3.1.4-3], and the two would kick each other off forever);
 * filters are well-formed [MQTT-4.7.1]; mappings compile and TLS files can be read — both
 * checked by constructing the ingress, which is what start-up does, so the check cannot drift.
 */
export function checkBridgesConfig(config: BridgesConfig | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  const sessions = new Set<string>();
  (config?.ingress ?? []).forEach((bridge, i) => {
    const at = `bridges.ingress.${i}`;
    if (ids.has(bridge.id))
      issues.push({ path: `${at}.id`, value: bridge.id, expected: 'a bridge id unique in this file' });
    ids.add(bridge.id);
    const session = `${bridge.url} ${bridge.clientId}`;
    if (sessions.has(session))
      issues.push({
        path: `${at}.clientId`,
        value: bridge.clientId,
        expected: `a client id no other bridge uses at ${bridge.url}`,
      });
    sessions.add(session);
    bridge.subscriptions.forEach((s, j) => {
      const why = filterError(s.filter);
      if (why)
        issues.push({
          path: `${at}.subscriptions.${j}.filter`,
          value: s.filter,
          expected: `an MQTT filter (${why})`,
        });
    });
    try {
      // Construction compiles the mappings and reads the TLS files; it opens nothing.
      new MqttBridgeIngress(bridge, { logger: silentLogger(), clock: systemClock }, () => Promise.resolve());
    } catch (err) {
      const message = (err as Error).message;
      const path = MqttBridgeErrors.TLS_FILE.is(err) ? `${at}.tls` : `${at}.mappings`;
      issues.push({ path, value: undefined, expected: message });
    }
  });
  return issues;
}

/** Why `filter` is not a valid MQTT topic filter, or undefined [MQTT-4.7.1-1, MQTT-4.7.1-2]. */
function filterError(filter: string): string | undefined {
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      return '"#" must be a whole level and the last one';
    if (level.includes('+') && level !== '+') return '"+" must be a whole level';
  }
  return undefined;
}
