import type { Asset, Site } from '@watershed/model';
import type { GatewayRepository } from './gateway-types.js';
import type { AlarmRepositories } from './alarm-types.js';

/**
 * The store's metadata part: rules, edge configurations, users, API keys and the audit log
 * (issues 4, 5 and 8). One repository per concern; both adapters pass `describeMetadataContract`.
 *
 * Conventions shared by every repository: ids are strings, timestamps are ms epoch taken from
 * the store's Clock, JSON values (rule definitions, configs, audit before/after) are stored as
 * given and come back deep-equal. Organisations and projects are a `project` field on each
 * record and a filter on each `list`. Failures are catalog errors (`MetadataErrors`): not found,
 * revision conflict, duplicate. After the store is closed every call rejects with WS_ERR_CLOSED.
 */

/** Any JSON value: what a rule definition, an edge config or an audit before/after holds. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ProjectFilter {
  project?: string;
}

// ---------------------------------------------------------------- rules

export interface RuleInput {
  id: string;
  project: string;
  /** Unique within the project. */
  name: string;
  enabled: boolean;
  /** The rule itself (condition, actions), validated by the rule engine, not here. */
  definition: Json;
}

export interface Rule extends RuleInput {
  /** Starts at 1 and grows by one on every change; the token for optimistic concurrency. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

export interface RuleFilter extends ProjectFilter {
  enabled?: boolean;
}

/**
 * Rules, each changed under optimistic concurrency: a change names the revision it was based on
 * and is refused with WS_ERR_STORE_REVISION_CONFLICT when someone changed the rule meanwhile.
 */
export interface RuleRepository {
  /** Ordered by id. */
  list(filter?: RuleFilter): Promise<Rule[]>;
  get(id: string): Promise<Rule | undefined>;
  /**
   * Without `expectedRevision` creates the rule (WS_ERR_STORE_DUPLICATE if the id exists);
   * with it replaces the rule if it is still at that revision. A name already used by another
   * rule of the project is WS_ERR_STORE_DUPLICATE either way.
   */
  put(rule: RuleInput, expectedRevision?: number): Promise<Rule>;
  /** WS_ERR_STORE_NOT_FOUND if missing; a conflict when `expectedRevision` is stale. */
  delete(id: string, expectedRevision?: number): Promise<void>;
  setEnabled(id: string, enabled: boolean, expectedRevision?: number): Promise<Rule>;
}

// ---------------------------------------------------------------- edge configs

export interface EdgeConfigInput {
  /** The edge node the config is for. */
  node: string;
  project: string;
  /** Chosen by the caller (the console): positive, unique per node. */
  version: number;
  config: Json;
  /** Of the serialised config, as the edge will verify it (e.g. `sha256:<hex>`). */
  checksum: string;
  /** Who pushed it. */
  author: string;
}

/** What the edge answered when it applied (or refused) a version. */
export interface EdgeConfigAck {
  ok: boolean;
  detail?: string;
  at: number;
}

export interface EdgeConfigVersion extends EdgeConfigInput {
  createdAt: number;
  ack?: EdgeConfigAck;
}

/** Every config version ever pushed to each node, kept so the console can diff and roll back. */
export interface EdgeConfigRepository {
  /** WS_ERR_STORE_DUPLICATE if the node already has this version. */
  append(input: EdgeConfigInput): Promise<EdgeConfigVersion>;
  /** Versions of one node, newest (highest version) first. */
  list(node: string): Promise<EdgeConfigVersion[]>;
  get(node: string, version: number): Promise<EdgeConfigVersion | undefined>;
  /** The highest version of the node, acknowledged or not. */
  latest(node: string): Promise<EdgeConfigVersion | undefined>;
  /** Records the edge's answer; a later ack replaces an earlier one. NOT_FOUND if no such version. */
  setAck(node: string, version: number, result: { ok: boolean; detail?: string }): Promise<EdgeConfigVersion>;
}

// ---------------------------------------------------------------- users

export interface UserInput {
  project: string;
  /** Login name, unique across the installation. */
  name: string;
  /** A self-describing password hash (e.g. `scrypt$...`); the store never sees passwords. */
  passwordHash: string;
  role: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
}

export interface User extends Required<UserInput> {
  id: string;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

export type UserPatch = Partial<
  Pick<User, 'passwordHash' | 'role' | 'project' | 'mustChangePassword' | 'disabled'>
>;

export interface UserRepository {
  /** WS_ERR_STORE_DUPLICATE if the name is taken. */
  create(input: UserInput): Promise<User>;
  get(id: string): Promise<User | undefined>;
  byName(name: string): Promise<User | undefined>;
  /** Ordered by name. */
  list(filter?: ProjectFilter): Promise<User[]>;
  /** Applies the fields present in `patch`; NOT_FOUND, or a conflict when `expectedRevision` is stale. */
  update(id: string, patch: UserPatch, expectedRevision?: number): Promise<User>;
}

// ---------------------------------------------------------------- sessions

export interface SessionInput {
  userId: string;
  /** How long the session lives from now. */
  ttlMs: number;
  /** From where it was opened: the client address. */
  from?: string;
}

export interface Session {
  /** Also the public part of the token. */
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  from?: string;
  revokedAt?: number;
}

/** Console login sessions. Only a hash of the token is stored; the token is returned once. */
export interface SessionRepository {
  /** Returns the record and the token (`wss_<id>_<secret>`) for the client's cookie. */
  create(input: SessionInput): Promise<{ session: Session; token: string }>;
  /** The session if `token` is live (known, not revoked, not expired); else undefined. */
  verify(token: string): Promise<Session | undefined>;
  /** NOT_FOUND if missing; revoking twice keeps the first time. */
  revoke(id: string): Promise<Session>;
  /** Ends every live session of a user (password changed, user disabled); returns how many. */
  revokeAll(userId: string): Promise<number>;
  /** Sessions of a user, newest first; revoked and expired ones included. */
  list(userId: string): Promise<Session[]>;
  /**
   * Deletes the sessions that ended (expired or were revoked) before `endedBefore`, ms epoch;
   * returns how many. Live sessions are never touched.
   */
  prune(endedBefore: number): Promise<number>;
}

// ---------------------------------------------------------------- API keys

export interface ApiKeyInput {
  project: string;
  name: string;
  role: string;
  /** Who created it (a user name). */
  createdBy: string;
  /** ms epoch after which the key no longer verifies; never when omitted. */
  expiresAt?: number;
}

export interface ApiKey extends ApiKeyInput {
  id: string;
  /** The public part of the key, shown in lists so an operator can tell keys apart. */
  prefix: string;
  createdAt: number;
  revokedAt?: number;
}

/** API keys. Only a hash of the secret is stored; the secret is shown once, at creation. */
export interface ApiKeyRepository {
  /** Returns the record and the full key (`wsk_<prefix>_<secret>`), which cannot be recovered later. */
  create(input: ApiKeyInput): Promise<{ apiKey: ApiKey; key: string }>;
  /** The key's record if `key` is a live key (known, not revoked, not expired); else undefined. */
  verify(key: string): Promise<ApiKey | undefined>;
  /** NOT_FOUND if missing; revoking twice keeps the first time. */
  revoke(id: string): Promise<ApiKey>;
  /** Ordered by creation, oldest first; revoked keys included. */
  list(filter?: ProjectFilter): Promise<ApiKey[]>;
}

// ---------------------------------------------------------------- audit

export interface AuditInput {
  /** When it happened; the store's clock when omitted. */
  at?: number;
  /** Who: a user name, `apikey:<prefix>`, or `system`. */
  actor: string;
  /** What, as `<resource kind>.<verb>`, e.g. `rule.update`. */
  action: string;
  /** On what, e.g. `rule:r1`. */
  resource: string;
  project?: string;
  before?: Json;
  after?: Json;
  /** From where: the client address or the component. */
  from?: string;
}

export interface AuditEntry extends Omit<AuditInput, 'at'> {
  /** Position in the log: strictly increasing in append order. */
  seq: number;
  at: number;
}

export interface AuditQuery extends ProjectFilter {
  /** Inclusive bounds on `at`. */
  from?: number;
  to?: number;
  actor?: string;
  action?: string;
  resource?: string;
  /** Page size, default 100, at most 1000. */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Present when more entries match: pass it as `cursor` for the next page. */
  next?: string;
}

/** The audit log: append-only, there is no way to change or remove an entry through the store. */
export interface AuditLog {
  append(entry: AuditInput): Promise<AuditEntry>;
  query(q?: AuditQuery): Promise<AuditPage>;
  /** Every entry matching `q` (its limit and cursor ignored), newest first, one JSON object per line. */
  export(q?: Omit<AuditQuery, 'limit' | 'cursor'>): AsyncIterable<string>;
}

// ---------------------------------------------------------------- sites and assets

/** A site of the model (`@watershed/model` Site), owned by a project. */
export type SiteInput = Site & { project: string };
export type SiteRecord = SiteInput & Revisioned;

/** An asset of the model (`@watershed/model` Asset); ids are unique across sites. */
export type AssetInput = Asset & { project: string };
export type AssetRecord = AssetInput & Revisioned;

export interface Revisioned {
  /** Starts at 1 and grows by one on every change; the token for optimistic concurrency. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

export interface AssetFilter extends ProjectFilter {
  site?: string;
}

/**
 * Sites or assets, changed under optimistic concurrency like rules. Records are checked against
 * the model's schema: one that breaks it is WS_ERR_STORE_INVALID_METADATA and is not stored.
 */
export interface DocumentRepository<I, R, F = ProjectFilter> {
  /** Ordered by id. */
  list(filter?: F): Promise<R[]>;
  get(id: string): Promise<R | undefined>;
  /** Without `expectedRevision` creates (DUPLICATE if the id exists); with it replaces at that revision. */
  put(input: I, expectedRevision?: number): Promise<R>;
  /** NOT_FOUND if missing; a conflict when `expectedRevision` is stale; a site with assets is WS_ERR_STORE_IN_USE. */
  delete(id: string, expectedRevision?: number): Promise<void>;
}

export type SiteRepository = DocumentRepository<SiteInput, SiteRecord>;
export type AssetRepository = DocumentRepository<AssetInput, AssetRecord, AssetFilter>;

// ---------------------------------------------------------------- sink definitions

/**
 * A data-integration sink made through the console (issue 5), owned by a project. Sinks from the
 * server's config file are not stored here. `config` is the sink type's fields plus the common
 * ones (batch, queue, retry, closeTimeoutMs) as the server validated them, secrets included:
 * the API masks them, the store does not.
 */
export interface SinkDefinitionInput {
  /** Unique across the installation: it names the sink's disk queue and its metrics. */
  id: string;
  project: string;
  /** `http`, `influx-line`, `postgres` … */
  type: string;
  enabled: boolean;
  config: { [key: string]: Json };
}
export type SinkDefinitionRecord = SinkDefinitionInput & Revisioned;
export type SinkDefinitionRepository = DocumentRepository<SinkDefinitionInput, SinkDefinitionRecord>;

// ---------------------------------------------------------------- the whole

export interface MetadataStore {
  readonly sites: SiteRepository;
  readonly assets: AssetRepository;
  /** Sinks defined through the console (not those of the config file). */
  readonly sinks: SinkDefinitionRepository;
  readonly rules: RuleRepository;
  readonly edgeConfigs: EdgeConfigRepository;
  readonly gateways: GatewayRepository;
  /** The alarm engine's rules, states and history. */
  readonly alarms: AlarmRepositories;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly audit: AuditLog;
}
