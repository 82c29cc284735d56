import { aclRuleError, type AclRule } from '../auth/acl.js';
import { topicFilterError } from '../topic/validate.js';

/** MQTT strings and binary data carry a two-byte length (§1.5.4, §1.5.6). */
const MAX_MQTT_STRING = 65535;
/** The placeholders the ACL expands (auth/acl.ts): username and client id. */
const PLACEHOLDER = /%(.)/gs;

/** A username a CONNECT could carry: 1–65535 bytes of UTF-8 without U+0000 [MQTT-1.5.4-2]. */
export function usernameError(username: string): string | undefined {
  if (username.length === 0) return 'username is empty';
  if (Buffer.byteLength(username) > MAX_MQTT_STRING) return 'username is longer than 65535 bytes';
  if (username.includes('\u0000')) return 'username contains U+0000 [MQTT-1.5.4-2]';
  return undefined;
}

/** A password a CONNECT could carry (binary data, at most 65535 bytes; §3.1.3.5). */
export function passwordError(password: string): string | undefined {
  if (password.length === 0) return 'password is empty';
  if (Buffer.byteLength(password) > MAX_MQTT_STRING) return 'password is longer than 65535 bytes';
  return undefined;
}

export function rolesError(roles: readonly string[]): string | undefined {
  return roles.some((r) => r.length === 0) ? 'a role name is empty' : undefined;
}

/**
 * Checks a rule as the ACL will apply it: the topic is a valid filter [MQTT-4.7] once `%u` and
 * `%c` are filled in (any other `%x` is refused as a likely typo — `%U` would silently never
 * match), it is not a shared-subscription filter (the ACL judges a `$share/{group}/f`
 * subscription by `f`, so a rule on the prefix could never match), and `who.ipCidr` parses.
 */
export function aclRuleInputError(rule: AclRule): string | undefined {
  if (rule.permission !== 'allow' && rule.permission !== 'deny') return 'permission must be allow or deny';
  if (rule.action !== 'publish' && rule.action !== 'subscribe' && rule.action !== 'all')
    return 'action must be publish, subscribe or all';
  const topic = rule.topic;
  for (const [, c] of topic.matchAll(PLACEHOLDER))
    if (c !== 'u' && c !== 'c') return `topic "${topic}": unknown placeholder %${c} (only %u and %c)`;
  if (topic.startsWith('$share/') || topic.startsWith('$queue/'))
    return `topic "${topic}": name the filter without the shared-subscription prefix`;
  const filled = topic.replaceAll('%u', 'u').replaceAll('%c', 'c');
  const err = topicFilterError(filled, Number.POSITIVE_INFINITY);
  if (err) return `topic "${topic}": ${err}`;
  for (const [key, value] of Object.entries(rule.who ?? {}))
    if (value === '') return `who.${key} is empty (leave it out to match anyone)`;
  return aclRuleError(rule);
}
