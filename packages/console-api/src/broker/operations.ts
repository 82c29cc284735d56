import type {
  AclRule,
  AclRuleUpdate,
  BrokerUser,
  NewAclRule,
  NewUser,
  UserUpdate,
} from './security-schemas.js';
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
  SubscriptionQuery,
} from './schemas.js';

/** A new operator ban, its author and end resolved by the route. */
export interface BanRequest {
  clientId?: string;
  username?: string;
  peer?: string;
  reason?: string;
  /** ms epoch it ends; absent = permanent. */
  until?: number;
  /** The console principal's name, for the ban list's "by". */
  createdBy: string;
}

/**
 * What the console needs of the MQTT broker, implemented in `apps/server/src/broker-admin`
 * over the broker's `BrokerAdmin` (console-api does not import the broker). Every method may
 * answer synchronously or with a promise (a clustered broker will ask its peers).
 *
 * Not-found is `undefined`, never an exception. Bad input (a malformed ban, an invalid topic
 * filter) throws a catalog error (WatershedError) with a 4xx status, which the API answers as is:
 * the broker's own codes (WS_ERR_MQTT_ADMIN_BAN_INVALID, WS_ERR_MQTT_INVALID_FILTER) or this
 * folder's (WS_ERR_BROKER_BAN_INVALID, WS_ERR_BROKER_FILTER_INVALID).
 */
export interface BrokerOperations {
  clients(q: ClientQuery): ClientList | Promise<ClientList>;
  client(clientId: string): ClientDetails | undefined | Promise<ClientDetails | undefined>;
  /** Disconnects a client (MQTT 5: DISCONNECT 0x98 Administrative action); undefined when not connected. */
  kick(
    clientId: string,
    opts: { discardSession: boolean; reason?: string },
  ): ClientSummary | undefined | Promise<ClientSummary | undefined>;
  subscriptions(q: SubscriptionQuery): SubscriptionList | Promise<SubscriptionList>;
  retained(q: RetainedQuery): RetainedList | Promise<RetainedList>;
  /** Deletes one retained message; undefined when the topic has none. */
  deleteRetained(topic: string): RetainedMessage | undefined | Promise<RetainedMessage | undefined>;
  listeners(): BrokerListener[] | Promise<BrokerListener[]>;
  bans(): Ban[] | Promise<Ban[]>;
  /** Adds an operator ban, enforced at the next CONNECT; clients it covers now are disconnected. */
  ban(req: BanRequest): BanCreated | Promise<BanCreated>;
  /** Lifts an operator ban; undefined when there is none with `id` (config bans are not the operator's). */
  unban(id: string): Ban | undefined | Promise<Ban | undefined>;
  /** Counters now and the per-second history after `since` (ms epoch). */
  stats(since?: number): BrokerStats | Promise<BrokerStats>;
  /** The built-in users (never their hashes), ACL rules and listener authentication chains. */
  security(): BrokerSecurity | Promise<BrokerSecurity>;

  // Runtime users and ACL rules. Config-file entries are read-only: changing or deleting one
  // throws a 409 catalog error (WS_ERR_MQTT_ADMIN_READ_ONLY); `undefined` = no such entry.

  /** Adds a password user (stored hashed); a taken username is a 409 catalog error. */
  createUser(user: NewUser): BrokerUser | Promise<BrokerUser>;
  updateUser(
    username: string,
    change: UserUpdate,
  ): Changed<BrokerUser> | undefined | Promise<Changed<BrokerUser> | undefined>;
  deleteUser(username: string): BrokerUser | undefined | Promise<BrokerUser | undefined>;
  /** Adds a rule at `position` among the runtime rules (default last); a bad filter is a 400 catalog error. */
  createAclRule(rule: NewAclRule): AclRule | Promise<AclRule>;
  /** Changes fields of a rule and/or moves it (`position`). */
  updateAclRule(
    id: string,
    change: AclRuleUpdate,
  ): Changed<AclRule> | undefined | Promise<Changed<AclRule> | undefined>;
  deleteAclRule(id: string): AclRule | undefined | Promise<AclRule | undefined>;
}

/** An entry as it was and as it is after a change (for the audit log). */
export interface Changed<T> {
  before: T;
  after: T;
}
