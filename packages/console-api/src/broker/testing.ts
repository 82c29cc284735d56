import { defineError } from '@watershed/common';
import { BrokerApiErrors } from './errors.js';
import type { BanRequest, BrokerOperations, Changed } from './operations.js';
import type {
  AclRule,
  AclRuleUpdate,
  BrokerUser,
  NewAclRule,
  NewUser,
  UserUpdate,
} from './security-schemas.js';

/** The broker's own codes for what the fake refuses, as BrokerAdmin throws them (console-api does not import the broker). */
const FakeErrors = {
  USER_EXISTS: defineError('WS_ERR_MQTT_ADMIN_USER_EXISTS', 409, 'MQTT user "%s" exists already'),
  READ_ONLY: defineError('WS_ERR_MQTT_ADMIN_READ_ONLY', 409, '%s "%s" comes from the broker config file'),
  RULE_INVALID: defineError('WS_ERR_MQTT_ADMIN_ACL_RULE_INVALID', 400, 'invalid ACL rule: %s'),
};
import type {
  Ban,
  BanCreated,
  BrokerListener,
  BrokerSecurity,
  BrokerStats,
  ClientDetails,
  ClientList,
  ClientQuery,
  ClientSummary,
  RetainedList,
  RetainedMessage,
  RetainedQuery,
  SubscriptionList,
} from './schemas.js';

/**
 * An in-memory BrokerOperations for route tests: clients, retained messages and bans are
 * plain maps the test fills; calls are recorded. The real one (over the broker's BrokerAdmin)
 * is tested in apps/server with live MQTT clients.
 */
export class FakeBrokerOperations implements BrokerOperations {
  readonly clientMap = new Map<string, ClientDetails>();
  readonly retainedMap = new Map<string, RetainedMessage>();
  readonly banMap = new Map<string, Ban>();
  /** Users by name: `file-user` (source file) and whatever the test adds. */
  readonly userMap = new Map<string, BrokerUser>();
  /** Rules in evaluation order: the runtime ones, then `file-0`. */
  rules: AclRule[] = [];
  /** Passwords the fake was given, to check the API passed them through (the real one hashes them). */
  readonly passwords = new Map<string, string>();
  readonly calls: string[] = [];
  #ids = 0;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.clientMap.clear();
    this.retainedMap.clear();
    this.banMap.clear();
    this.userMap.clear();
    this.passwords.clear();
    this.userMap.set('file-user', {
      username: 'file-user',
      source: 'file',
      passwordScheme: 'scrypt',
      scram: false,
      roles: [],
    });
    this.rules = [FILE_RULE];
    this.calls.length = 0;
    this.#ids = 0;
  }

  addClient(clientId: string, extra: Partial<ClientDetails> = {}): void {
    this.clientMap.set(clientId, {
      clientId,
      protocolVersion: 5,
      subscriptions: 0,
      inflight: 0,
      queued: 0,
      bytesIn: 0,
      bytesOut: 0,
      packetsIn: 0,
      packetsOut: 0,
      sessionExpiryInterval: 0,
      pendingReleases: 0,
      hasWill: false,
      superuser: false,
      subscriptionList: [],
      ...extra,
    });
  }

  addRetained(topic: string, preview: string): void {
    this.retainedMap.set(topic, {
      topic,
      qos: 0,
      size: preview.length,
      preview,
      previewEncoding: 'utf8',
      truncated: false,
      receivedAt: 0,
    });
  }

  clients(q: ClientQuery): ClientList {
    this.calls.push(`clients ${JSON.stringify(q)}`);
    const items = [...this.clientMap.values()]
      .filter((c) => !q.q || c.clientId.includes(q.q))
      .map(({ subscriptionList: _s, keepalive: _k, ...summary }) => summary as ClientSummary);
    return { total: items.length, offset: q.offset ?? 0, limit: q.limit ?? 50, items };
  }

  client(clientId: string): ClientDetails | undefined {
    return this.clientMap.get(clientId);
  }

  kick(clientId: string, opts: { discardSession: boolean; reason?: string }): ClientSummary | undefined {
    this.calls.push(`kick ${clientId} discard=${opts.discardSession} reason=${opts.reason ?? ''}`);
    const c = this.clientMap.get(clientId);
    this.clientMap.delete(clientId);
    return c;
  }

  subscriptions(): SubscriptionList {
    const items = [...this.clientMap.values()].flatMap((c) => c.subscriptionList);
    return { total: items.length, offset: 0, limit: 50, items };
  }

  retained(q: RetainedQuery): RetainedList {
    if (q.topic?.includes('#/')) throw BrokerApiErrors.FILTER_INVALID.create([q.topic, '# must be last']);
    const items = [...this.retainedMap.values()];
    return { total: items.length, offset: 0, limit: 50, items };
  }

  deleteRetained(topic: string): RetainedMessage | undefined {
    const m = this.retainedMap.get(topic);
    this.retainedMap.delete(topic);
    return m;
  }

  listeners(): BrokerListener[] {
    return [{ name: 'mqtt', type: 'tcp', host: '127.0.0.1', port: 1883, connections: this.clientMap.size }];
  }

  bans(): Ban[] {
    return [...this.banMap.values()];
  }

  ban(req: BanRequest): BanCreated {
    if (!req.clientId && !req.username && !req.peer)
      throw BrokerApiErrors.BAN_INVALID.create(['name at least one of clientId, username, peer']);
    const ban: Ban = { id: `ban-${++this.#ids}`, source: 'operator', reason: req.reason ?? 'banned', ...req };
    this.banMap.set(ban.id, ban);
    const kicked = [...this.clientMap.keys()].filter((id) => id === req.clientId);
    for (const id of kicked) this.clientMap.delete(id);
    return { ban, kicked };
  }

  unban(id: string): Ban | undefined {
    const b = this.banMap.get(id);
    this.banMap.delete(id);
    return b;
  }

  security(): BrokerSecurity {
    return {
      users: [...this.userMap.values()].sort((a, b) => (a.username < b.username ? -1 : 1)),
      acl: this.rules.map((r, index) => ({ ...r, index })),
      listeners: [
        { listener: 'mqtt', allowAnonymous: false, sources: ['password'], enhanced: [], aclDefault: 'deny' },
      ],
      editable: true,
      persistent: true,
    };
  }

  createUser(u: NewUser): BrokerUser {
    if (this.userMap.has(u.username)) throw FakeErrors.USER_EXISTS.create([u.username]);
    const user: BrokerUser = {
      username: u.username,
      source: 'runtime',
      passwordScheme: 'scrypt',
      scram: true,
      roles: u.roles ?? [],
    };
    this.userMap.set(u.username, user);
    this.passwords.set(u.username, u.password);
    return user;
  }

  updateUser(username: string, change: UserUpdate): Changed<BrokerUser> | undefined {
    const before = this.#runtimeUser(username);
    if (before === undefined) return undefined;
    const after = { ...before, ...(change.roles && { roles: change.roles }) };
    this.userMap.set(username, after);
    if (change.password !== undefined) this.passwords.set(username, change.password);
    return { before, after };
  }

  deleteUser(username: string): BrokerUser | undefined {
    const user = this.#runtimeUser(username);
    this.userMap.delete(username);
    return user;
  }

  createAclRule(input: NewAclRule): AclRule {
    if (input.topic.includes('#/')) throw FakeErrors.RULE_INVALID.create(["'#' must be the last level"]);
    const { position, ...fields } = input;
    const rule: AclRule = { index: 0, id: `rule-${++this.#ids}`, source: 'runtime', who: {}, ...fields };
    const runtime = this.rules.filter((r) => r.source === 'runtime');
    runtime.splice(position ?? runtime.length, 0, rule);
    this.rules = [...runtime, FILE_RULE];
    return this.#rule(rule.id)!;
  }

  updateAclRule(id: string, change: AclRuleUpdate): Changed<AclRule> | undefined {
    const before = this.#runtimeRule(id);
    if (before === undefined) return undefined;
    const { position, ...fields } = change;
    const runtime = this.rules.filter((r) => r.source === 'runtime' && r.id !== id);
    runtime.splice(position ?? before.index, 0, { ...before, ...fields });
    this.rules = [...runtime, FILE_RULE];
    return { before, after: this.#rule(id)! };
  }

  deleteAclRule(id: string): AclRule | undefined {
    const before = this.#runtimeRule(id);
    this.rules = this.rules.filter((r) => r.id !== id);
    return before;
  }

  #runtimeUser(username: string): BrokerUser | undefined {
    const user = this.userMap.get(username);
    if (user?.source === 'file') throw FakeErrors.READ_ONLY.create(['user', username]);
    return user;
  }

  #rule(id: string): AclRule | undefined {
    const at = this.rules.findIndex((r) => r.id === id);
    return at < 0 ? undefined : { ...this.rules[at]!, index: at };
  }

  #runtimeRule(id: string): AclRule | undefined {
    if (id === FILE_RULE.id) throw FakeErrors.READ_ONLY.create(['ACL rule', id]);
    return this.#rule(id);
  }

  stats(since?: number): BrokerStats {
    this.calls.push(`stats ${since ?? ''}`);
    const history = [1000, 2000].map((ts) => ({ ts, clients: 1, messagesIn: 5, messagesOut: 5, dropped: 0 }));
    return {
      current: {
        clients: this.clientMap.size,
        subscriptions: 0,
        retained: this.retainedMap.size,
        messagesIn: 10,
        messagesOut: 10,
        dropped: 0,
        bytesIn: 1000,
        bytesOut: 2000,
        packetsIn: 10,
        packetsOut: 20,
        bans: this.banMap.size,
        rate: history[1],
      },
      history: history.filter((s) => since === undefined || s.ts > since),
    };
  }
}

const FILE_RULE: AclRule = {
  index: 0,
  id: 'file-0',
  source: 'file',
  permission: 'allow',
  action: 'publish',
  topic: 'ws/v1/+/%u/#',
  who: { role: 'gateway' },
};
