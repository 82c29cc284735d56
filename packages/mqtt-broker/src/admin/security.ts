import type { AuthSourceConfig } from '../auth/schema.js';
import { listenerName } from '../config/load.js';
import type { BrokerConfig } from '../config/schema.js';
import type { SecurityEditor } from './security-editor.js';

/** A built-in user as the console may show it: the hash scheme, never the hash. */
export interface UserView {
  readonly username: string;
  /** 'file': from the broker config file (read-only); 'runtime': added by an operator (editable). */
  readonly source: 'file' | 'runtime';
  /** Scheme of the stored password hash ('scrypt', 'pbkdf2-sha256'); absent = no password login. */
  readonly passwordScheme?: string;
  /** Has SCRAM-SHA-256 keys for MQTT 5 enhanced authentication. */
  readonly scram: boolean;
  readonly roles: string[];
  /** Runtime users only: clock times (ms) of creation and last change. */
  readonly createdAt?: number;
  readonly updatedAt?: number;
}

/** One ACL rule in evaluation order (the first match decides). */
export interface AclRuleView {
  readonly index: number;
  /** Stable across edits and moves; `file-{n}` for the file's n-th rule. */
  readonly id: string;
  /** 'runtime' rules (editable) are evaluated before the config file's ('file', read-only). */
  readonly source: 'file' | 'runtime';
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
   * True: runtime users and rules can be added, changed and removed (a SecurityEditor runs);
   * false: only the config file's exist, and a change is an edit of the file and a restart.
   */
  readonly editable: boolean;
  /** Runtime edits survive a restart (the broker has a state file). */
  readonly persistent: boolean;
}

/**
 * What the broker's built-in password source and ACL enforce: the config they were built from
 * and, when given, the operator's runtime edits. Secrets stay out: no hashes or SCRAM keys, no
 * JWT keys, HTTP callout URLs or their headers — only which kinds of source a listener asks.
 */
export function describeSecurity(
  config: BrokerConfig,
  editor?: Pick<SecurityEditor, 'users' | 'rules' | 'persistent'>,
): SecurityView {
  const listeners = config.listeners.map((l) => ({
    listener: listenerName(l),
    allowAnonymous: l.auth.allowAnonymous,
    sources: l.auth.sources.map(sourceType),
    enhanced: [...l.auth.enhanced],
    aclDefault: l.acl.default,
  }));
  if (editor)
    return {
      users: editor.users(),
      acl: editor.rules(),
      listeners,
      editable: true,
      persistent: editor.persistent,
    };
  return {
    users: config.users
      .map((u) => ({
        username: u.username,
        source: 'file' as const,
        ...(u.passwordHash !== undefined && { passwordScheme: u.passwordHash.split('$', 1)[0]! }),
        scram: u.scram !== undefined,
        roles: [...u.roles],
      }))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)),
    acl: config.acl.map((r, index) => ({
      index,
      id: `file-${index}`,
      source: 'file' as const,
      permission: r.permission,
      action: r.action,
      topic: r.topic,
      who: { ...r.who },
    })),
    listeners,
    editable: false,
    persistent: false,
  };
}

function sourceType(s: AuthSourceConfig): string {
  return typeof s === 'string' ? s : s.type;
}
