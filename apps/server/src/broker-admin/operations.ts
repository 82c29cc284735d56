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
  type AclRuleChange,
  type AclRuleInput,
  type AclRuleView,
  type NewUserInput,
  type SecurityEditor,
  type UserChange,
  type UserView,
} from '@watershed/mqtt-broker';
import { defineError, type Logger } from '@watershed/common';

const Errors = {
  NOT_EDITABLE: defineError(
    'WS_ERR_BROKER_SECURITY_NOT_EDITABLE',
    409,
    'this broker has no runtime users or ACL rules: change its config file and restart',
  ),
} as const;

/**
 * The console's `BrokerOperations` (packages/console-api/src/broker/operations.ts) over the
 * broker's `BrokerAdmin`. Not-found becomes `undefined`, as the contract asks; bad input keeps
 * the broker's catalog errors (400), which the API returns with their code. The types here are
 * the broker's own, which match the console's schemas field for field (checked structurally
 * where the server passes this object to `brokerRoutes`).
 */
export class BrokerAdminOperations {
  readonly #admin: BrokerAdmin;
  readonly #config: BrokerConfig | undefined;
  readonly #editor: SecurityEditor | undefined;

  /**
   * `config` is what the broker was started from (its listeners' chains, its file users and
   * rules); `editor` the running broker's runtime users and rules, when it has them.
   */
  constructor(admin: BrokerAdmin, config?: BrokerConfig, editor?: SecurityEditor) {
    this.#admin = admin;
    this.#config = config;
    this.#editor = editor;
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
    const editor = this.#editor;
    if (this.#config) return describeSecurity(this.#config, editor);
    return editor
      ? {
          users: editor.users(),
          acl: editor.rules(),
          listeners: [],
          editable: true,
          persistent: editor.persistent,
        }
      : { users: [], acl: [], listeners: [], editable: false, persistent: false };
  }

  createUser(user: NewUserInput): Promise<UserView> {
    return this.#edit().createUser(user);
  }

  async updateUser(
    username: string,
    change: UserChange,
  ): Promise<{ before: UserView; after: UserView } | undefined> {
    try {
      return await this.#edit().updateUser(username, change);
    } catch (err) {
      if (AdminErrors.USER_NOT_FOUND.is(err)) return undefined;
      throw err;
    }
  }

  deleteUser(username: string): UserView | undefined {
    return notFoundAsUndefined(AdminErrors.USER_NOT_FOUND, () => this.#edit().deleteUser(username));
  }

  createAclRule(rule: AclRuleInput): AclRuleView {
    return this.#edit().createRule(rule);
  }

  updateAclRule(id: string, change: AclRuleChange): { before: AclRuleView; after: AclRuleView } | undefined {
    return notFoundAsUndefined(AdminErrors.RULE_NOT_FOUND, () => this.#edit().updateRule(id, change));
  }

  deleteAclRule(id: string): AclRuleView | undefined {
    return notFoundAsUndefined(AdminErrors.RULE_NOT_FOUND, () => this.#edit().deleteRule(id));
  }

  #edit(): SecurityEditor {
    if (this.#editor === undefined) throw Errors.NOT_EDITABLE.create();
    return this.#editor;
  }
}

/**
 * The server's broker operator interface: a BrokerAdmin on the running broker that also lists
 * the config-file and flapping bans of its access control, and the console's view of it (with
 * the users and ACL of `config`, the broker config it was started from, and the running
 * broker's runtime users and rules, editable). The
 * caller owns it: `close` stops its sampling timer and closes the ban store (before or after
 * the broker; the bans it loaded stay enforced while the broker runs).
 */
export function openBrokerOperations(
  running:
    | Pick<RunningBroker, 'broker' | 'access' | 'security'>
    | { broker: Broker; access?: undefined; security?: undefined },
  opts: { logger?: Logger; config?: BrokerConfig } & Omit<BrokerAdminOptions, 'otherBans' | 'logger'> = {},
): { admin: BrokerAdmin; operations: BrokerAdminOperations; close: () => void } {
  const { config, ...adminOpts } = opts;
  const admin = new BrokerAdmin(running.broker, {
    ...adminOpts,
    ...(running.access && { otherBans: running.access.bans }),
  });
  return {
    admin,
    operations: new BrokerAdminOperations(admin, config, running.security),
    close: () => admin.close(),
  };
}

function notFoundAsUndefined<T>(error: { is(err: unknown): boolean }, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (error.is(err)) return undefined;
    throw err;
  }
}
