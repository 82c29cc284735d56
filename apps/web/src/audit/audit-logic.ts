import { valueText } from './audit-diff.js';
import type { AuditEntry } from './audit-api.js';

/**
 * Actions the console records (console-api: `<resource>.<verb>` of each Auditor.record call),
 * offered as suggestions in the action filter; the API matches them exactly. Actions seen in
 * loaded entries are added to these.
 */
export const KNOWN_ACTIONS = [
  'session.login',
  'session.logout',
  'session.login-failed',
  'session.login-locked',
  'user.create',
  'user.update',
  'user.reset-password',
  'user.password-change',
  'api-key.create',
  'api-key.revoke',
  'rule.create',
  'rule.update',
  'rule.delete',
  'alarm-rule.create',
  'alarm-rule.update',
  'alarm-rule.delete',
  'sink.create',
  'sink.update',
  'sink.delete',
  'edge-config.create',
  'gateway.rotate',
  'gateway.revoke',
  'gateway.delete',
  'tag.write',
  'broker-ban.create',
  'broker-ban.delete',
  'broker-user.create',
  'broker-user.update',
  'broker-user.delete',
] as const;

export function actionSuggestions(entries: readonly AuditEntry[]): string[] {
  return [...new Set([...KNOWN_ACTIONS, ...entries.map((e) => e.action)])].sort();
}

/** `user:3` → `{ type: 'user', id: '3' }`; a resource without a colon is all type. */
export function splitResource(resource: string): { type: string; id: string } {
  const i = resource.indexOf(':');
  return i < 0 ? { type: resource, id: '' } : { type: resource.slice(0, i), id: resource.slice(i + 1) };
}

/**
 * Whether an entry contains `text` (case-insensitive) in who, what, where or the values it
 * recorded. The API has no free-text filter, so this searches the entries already loaded.
 */
export function entryMatches(e: AuditEntry, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const hay = [
    e.actor,
    e.action,
    e.resource,
    e.project ?? '',
    e.from ?? '',
    valueText(e.before),
    valueText(e.after),
  ]
    .join('\n')
    .toLowerCase();
  return hay.includes(needle);
}
