import {
  AdminErrors,
  BrokerAdmin,
  describeSecurity,
  type BanEntry,
  type Broker,
  type BrokerAdminOptions,
  type BrokerConfig,
  type ClientDetails,
  type ClientQuery,
  type ClientSummary,
  type ListenerEntry,
  type NewBan,
  type Page,
  type RateSample,
  type RetainedEntry,
  type RetainedQuery,
  type RunningBroker,
  type SecurityView,
  type StatsSnapshot,
  type SubscriptionEntry,
  type SubscriptionQuery,
} from '@watershed/mqtt-broker';
import type { Logger } from '@watershed/common';

/**
 * The console's `BrokerOperations` (packages/console-api/src/broker/operations.ts) over the
 * broker's `BrokerAdmin`. Not-found becomes `undefined`, as the contract asks; bad input keeps
 * the broker's catalog errors (400), which the API returns with their code. The types here are
 * the broker's own, which match the console's schemas field for field (checked structurally
 * where the server passes this object to `brokerRoutes`).
 */
export class BrokerAdminOperations {
  readonly #admin: BrokerAdmin;
  readonly #security: SecurityView;

  /** `config` is what the broker was started from: its users and ACL are listed read-only. */
  constructor(admin: BrokerAdmin, config?: BrokerConfig) {
    this.#admin = admin;
    this.#security = config
      ? describeSecurity(config)
      : { users: [], acl: [], listeners: [], editable: false };
  }

  clients(q: ClientQuery): Page<ClientSummary> {
    return this.#admin.clients(q);
  }

  client(clientId: string): ClientDetails | undefined {
    return this.#admin.client(clientId);
  }

  kick(clientId: string, opts: { discardSession: boolean; reason?: string }): ClientSummary | undefined {
    return notFoundAsUndefined(AdminErrors.CLIENT_NOT_FOUND, () => this.#admin.kick(clientId, opts));
  }

  subscriptions(q: SubscriptionQuery): Page<SubscriptionEntry> {
    return this.#admin.subscriptions(q);
  }

  retained(q: RetainedQuery): Page<RetainedEntry> {
    return this.#admin.retained(q);
  }

  deleteRetained(topic: string): RetainedEntry | undefined {
    return notFoundAsUndefined(AdminErrors.RETAINED_NOT_FOUND, () => this.#admin.deleteRetained(topic));
  }

  listeners(): ListenerEntry[] {
    return this.#admin.listeners();
  }

  bans(): BanEntry[] {
    return this.#admin.bans();
  }

  ban(req: NewBan & { createdBy: string }): { ban: BanEntry; kicked: string[] } {
    return this.#admin.ban(req);
  }

  unban(id: string): BanEntry | undefined {
    return notFoundAsUndefined(AdminErrors.BAN_NOT_FOUND, () => this.#admin.unban(id));
  }

  stats(since?: number): { current: StatsSnapshot; history: RateSample[] } {
    return this.#admin.stats(since);
  }

  security(): SecurityView {
    return this.#security;
  }
}

/**
 * The server's broker operator interface: a BrokerAdmin on the running broker that also lists
 * the config-file and flapping bans of its access control, and the console's view of it (with
 * the users and ACL of `config`, the broker config it was started from). The
 * caller owns it: `close` stops its sampling timer and closes the ban store (before or after
 * the broker; the bans it loaded stay enforced while the broker runs).
 */
export function openBrokerOperations(
  running: Pick<RunningBroker, 'broker' | 'access'> | { broker: Broker; access?: undefined },
  opts: { logger?: Logger; config?: BrokerConfig } & Omit<BrokerAdminOptions, 'otherBans' | 'logger'> = {},
): { admin: BrokerAdmin; operations: BrokerAdminOperations; close: () => void } {
  const { config, ...adminOpts } = opts;
  const admin = new BrokerAdmin(running.broker, {
    ...adminOpts,
    ...(running.access && { otherBans: running.access.bans }),
  });
  return { admin, operations: new BrokerAdminOperations(admin, config), close: () => admin.close() };
}

function notFoundAsUndefined<T>(error: { is(err: unknown): boolean }, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (error.is(err)) return undefined;
    throw err;
  }
}
