import type { AuthSourceConfig } from '../auth/schema.js';
import { listenerName } from '../config/load.js';
import type { BrokerConfig } from '../config/schema.js';

/** A built-in user as the console may show it: the hash scheme, never the hash. */
export interface UserView {
  readonly username: string;
  /** Scheme of the stored password hash ('scrypt', 'pbkdf2-sha256'); absent = no password login. */
  readonly passwordScheme?: string;
  /** Has SCRAM-SHA-256 keys for MQTT 5 enhanced authentication. */
  readonly scram: boolean;
  readonly roles: string[];
}

/** One ACL rule in evaluation order (the first match decides). */
export interface AclRuleView {
  readonly index: number;
  readonly permission: 'allow' | 'deny';
  readonly action: 'publish' | 'subscribe' | 'all';
  readonly topic: string;
  readonly who: {
    readonly username?: string;
    readonly clientId?: string;
    readonly role?: string;
    readonly ipCidr?: string;
    readonly listener?: string;
  };
}

/** A listener's authentication chain and ACL default. */
export interface ListenerPolicyView {
  readonly listener: string;
  readonly allowAnonymous: boolean;
  /** Source types in chain order ('password', 'certificate', 'jwt', 'http'); their settings stay server-side. */
  readonly sources: string[];
  readonly enhanced: string[];
  readonly aclDefault: 'allow' | 'deny';
}

export interface SecurityView {
  readonly users: UserView[];
  readonly acl: AclRuleView[];
  readonly listeners: ListenerPolicyView[];
  /**
   * False: users and rules come from the broker config file, which AccessControl compiles once
   * at start; a change is an edit of the file and a restart.
   */
  readonly editable: false;
}

/**
 * What the broker's built-in password source and ACL enforce, from the config they were
 * built from. Secrets stay out: no hashes or SCRAM keys, no JWT keys, HTTP callout URLs or
 * their headers — only which kinds of source a listener asks, in order.
 */
export function describeSecurity(config: BrokerConfig): SecurityView {
  return {
    users: config.users
      .map((u) => ({
        username: u.username,
        ...(u.passwordHash !== undefined && { passwordScheme: u.passwordHash.split('$', 1)[0]! }),
        scram: u.scram !== undefined,
        roles: [...u.roles],
      }))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)),
    acl: config.acl.map((r, index) => ({
      index,
      permission: r.permission,
      action: r.action,
      topic: r.topic,
      who: { ...r.who },
    })),
    listeners: config.listeners.map((l) => ({
      listener: listenerName(l),
      allowAnonymous: l.auth.allowAnonymous,
      sources: l.auth.sources.map(sourceType),
      enhanced: [...l.auth.enhanced],
      aclDefault: l.acl.default,
    })),
    editable: false,
  };
}

function sourceType(s: AuthSourceConfig): string {
  return typeof s === 'string' ? s : s.type;
}
