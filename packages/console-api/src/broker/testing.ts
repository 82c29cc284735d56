import { BrokerApiErrors } from './errors.js';
import type { BanRequest, BrokerOperations } from './operations.js';
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
  readonly calls: string[] = [];
  #ids = 0;

  clear(): void {
    this.clientMap.clear();
    this.retainedMap.clear();
    this.banMap.clear();
    this.calls.length = 0;
  }

  addClient(clientId: string, extra: Partial<ClientDetails> = {}): void {
    this.clientMap.set(clientId, {
      clientId,
      protocolVersion: 5,
      subscriptions: 0,
      inflight: 0,
      queued: 0,
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
      users: [{ username: 'gw-1', passwordScheme: 'scrypt', scram: false, roles: ['gateway'] }],
      acl: [
        { index: 0, permission: 'allow', action: 'publish', topic: 'ws/v1/+/%u/#', who: { role: 'gateway' } },
      ],
      listeners: [
        { listener: 'mqtt', allowAnonymous: false, sources: ['password'], enhanced: [], aclDefault: 'deny' },
      ],
      editable: false,
    };
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
        bans: this.banMap.size,
        rate: history[1],
      },
      history: history.filter((s) => since === undefined || s.ts > since),
    };
  }
}
