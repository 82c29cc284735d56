import type { AclRule } from './acl.js';

/**
 * Reads the ACL an identity carries — a JWT claim or an HTTP authenticator's `acl` field —
 * in either of EMQX's two formats:
 *
 * - rules: `[{ "permission": "allow", "action": "publish", "topic": "t/${username}/#" }]`
 *   (`action` publish | subscribe | all; EMQX 5),
 * - lists: `{ "pub": ["t/1"], "sub": ["t/2/#"], "all": ["t/3"] }`, each entry an allow (EMQX 4).
 *
 * EMQX's `${username}`/`${clientid}` placeholders become the ACL's own `%u`/`%c`, which the ACL
 * fills per request and refuses to widen. Returns a reason string when the value is malformed.
 */
export function parseAclGrant(value: unknown): AclRule[] | string {
  if (Array.isArray(value)) {
    const rules: AclRule[] = [];
    for (const [i, r] of value.entries()) {
      if (typeof r !== 'object' || r === null) return `acl[${i}] is not an object`;
      const { permission, action, topic } = r as Record<string, unknown>;
      if (permission !== 'allow' && permission !== 'deny')
        return `acl[${i}].permission must be allow or deny`;
      if (action !== 'publish' && action !== 'subscribe' && action !== 'all')
        return `acl[${i}].action must be publish, subscribe or all`;
      if (typeof topic !== 'string' || topic.length === 0) return `acl[${i}].topic must be a topic filter`;
      rules.push({ permission, action, topic: placeholders(topic) });
    }
    return rules;
  }
  if (typeof value === 'object' && value !== null) {
    const rules: AclRule[] = [];
    const lists = { pub: 'publish', sub: 'subscribe', all: 'all' } as const;
    for (const [key, action] of Object.entries(lists)) {
      const list = (value as Record<string, unknown>)[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || !list.every((t) => typeof t === 'string' && t.length > 0))
        return `acl.${key} must be a list of topic filters`;
      for (const topic of list as string[])
        rules.push({ permission: 'allow', action, topic: placeholders(topic) });
    }
    return rules;
  }
  return 'acl must be a list of rules or an object of pub/sub/all lists';
}

function placeholders(topic: string): string {
  return topic.replaceAll('${username}', '%u').replaceAll('${clientid}', '%c');
}
