import { Errors, formatIssues, loadConfig, type ConfigIssue } from '@watershed/common';
import { existsSync } from 'node:fs';
import { aclRuleError } from '../auth/acl.js';
import { compileIpMatcher } from '../auth/ip-match.js';
import { checkAuthSources, checkUserSecrets, parseAuthSource } from '../auth/check.js';
import type { AuthSourceConfig } from '../auth/schema.js';
import { BrokerConfig } from './schema.js';

/** Environment overlay prefix: `WATERSHED_BROKER__NODE_NAME=cloud-2` sets `nodeName`. */
export const BROKER_ENV_PREFIX = 'WATERSHED_BROKER';

export interface LoadBrokerConfigOptions {
  /** YAML file; absent = defaults (one loopback TCP listener on 1883, anonymous allowed). */
  file?: string;
  /** Already-parsed settings, used instead of `file`. */
  value?: unknown;
  env?: Record<string, string | undefined>;
  /** Name used in messages; default: the file, or "broker settings". */
  label?: string;
}

/**
 * Loads, overlays, defaults and validates the broker config, then checks what the schema
 * cannot (TLS files, hashes, CIDRs, dates). Throws WS_ERR_CONFIG_INVALID naming each bad path.
 */
export function loadBrokerConfig(opts: LoadBrokerConfigOptions = {}): BrokerConfig {
  const label = opts.label ?? opts.file ?? 'broker settings';
  const config = loadConfig({
    schema: BrokerConfig,
    ...(opts.file !== undefined ? { file: opts.file } : { value: opts.value ?? {} }),
    env: opts.env ?? {},
    envPrefix: BROKER_ENV_PREFIX,
    label,
  });
  const issues = checkBrokerConfig(config);
  if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
  // Authentication sources are checked item by item (see parseAuthSource); fill their defaults.
  for (const l of config.listeners)
    l.auth.sources = l.auth.sources.map((raw, i) => parseAuthSource(raw, `${i}`) as AuthSourceConfig);
  return config;
}

/** Cross-field and content checks of a schema-valid config; one issue per bad path. */
export function checkBrokerConfig(c: BrokerConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  c.listeners.forEach((l, i) => {
    const at = `listeners.${i}`;
    const name = listenerName(l);
    if (names.has(name)) issues.push({ path: `${at}.name`, value: name, expected: 'a unique listener name' });
    names.add(name);
    const secure = l.type === 'tls' || l.type === 'wss';
    for (const key of ['certFile', 'keyFile', 'caFile'] as const) {
      const file = l[key];
      if (secure && key !== 'caFile' && file === undefined)
        issues.push({
          path: `${at}.${key}`,
          value: undefined,
          expected: `a PEM file for a ${l.type} listener`,
        });
      else if (file !== undefined && !existsSync(file))
        issues.push({ path: `${at}.${key}`, value: file, expected: 'an existing file' });
    }
    if (l.requestClientCert && (!secure || l.caFile === undefined))
      issues.push({
        path: `${at}.requestClientCert`,
        value: true,
        expected: 'a tls or wss listener with caFile (mutual TLS)',
      });
    issues.push(...checkAuthSources(l.auth.sources, `${at}.auth.sources`, l));
  });
  const users = new Set<string>();
  c.users.forEach((u, i) => {
    if (users.has(u.username))
      issues.push({ path: `users.${i}.username`, value: u.username, expected: 'a unique username' });
    users.add(u.username);
    issues.push(...checkUserSecrets(u, `users.${i}`));
  });
  c.acl.forEach((r, i) => {
    const err = aclRuleError(r);
    if (err) issues.push({ path: `acl.${i}.who.ipCidr`, value: r.who.ipCidr, expected: err });
  });
  c.banned.forEach((b, i) => {
    if (b.clientId === undefined && b.username === undefined && b.ip === undefined)
      issues.push({ path: `banned.${i}`, value: b, expected: 'at least one of clientId, username, ip' });
    if (b.ip !== undefined && typeof compileIpMatcher(b.ip) === 'string')
      issues.push({ path: `banned.${i}.ip`, value: b.ip, expected: 'an IP address or CIDR block' });
    if (b.until !== undefined && Number.isNaN(Date.parse(b.until)))
      issues.push({ path: `banned.${i}.until`, value: b.until, expected: 'an ISO 8601 instant' });
  });
  return issues;
}

/** A listener's name: its own, or `{type}:{port}`. */
export function listenerName(l: { name?: string | undefined; type: string; port: number }): string {
  return l.name ?? `${l.type}:${l.port}`;
}
