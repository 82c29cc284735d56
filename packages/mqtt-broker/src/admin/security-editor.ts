import { randomUUID } from 'node:crypto';
import { silentLogger, type Clock, type Logger } from '@watershed/common';
import type { AccessControl } from '../auth/access-control.js';
import type { AclRule } from '../auth/acl.js';
import { hashPassword, type ScryptParams } from '../auth/password.js';
import { scramCredentials, SCRAM_MIN_ITERATIONS } from '../auth/scram-credentials.js';
import type { UserEntry } from '../auth/users.js';
import { AdminErrors } from './errors.js';
import type { AclRuleView, UserView } from './security.js';
import type { SecurityStore, StoredAclRule, StoredUser } from './security-store.js';
import { aclRuleInputError, passwordError, rolesError, usernameError } from './security-validate.js';

export interface NewUserInput {
  username: string;
  password: string;
  roles?: string[];
}

/** A change of a runtime user: a new password, new roles, or both. */
export interface UserChange {
  password?: string;
  roles?: string[];
}

export interface AclRuleInput extends AclRule {
  /** 0-based place among the runtime rules; default: last. */
  position?: number;
}

/** A partial change of a runtime rule; `position` alone is a move. */
export type AclRuleChange = Partial<AclRuleInput>;

export interface SecurityEditorOptions {
  access: AccessControl;
  /** The config file's users and rules: listed, enforced, never edited here. */
  fileUsers: readonly UserEntry[];
  fileAcl: readonly AclRule[];
  store: SecurityStore;
  /** Whether `store` outlives a restart (shown to the operator). */
  persistent: boolean;
  clock: Clock;
  logger?: Logger;
  /** scrypt cost of new password hashes; default the broker's (N=2^14, r=8, p=1). */
  hashParams?: ScryptParams;
}

/**
 * The operator's runtime edits of the built-in password users and ACL rules (EMQX's
 * "Authentication → Users" and "Authorization → Built-in database"). Each change is validated,
 * written to the store, then installed in AccessControl, in that order: what the operator was
 * told about survives a restart, and nothing half-valid is enforced.
 *
 * Effect: new CONNECTs see user changes at once; every PUBLISH and SUBSCRIBE after a rule
 * change — existing sessions' included — is checked against the new rules. Subscriptions made
 * before a change are kept, as EMQX keeps them: the ACL judges a SUBSCRIBE when it is made, and
 * re-judging every delivery (Mosquitto's way) would put an ACL evaluation per message on the
 * routing hot path. An operator who must cut off an existing subscriber kicks or bans it.
 * Likewise a deleted user's live connection stays until it reconnects (kick it to end it now).
 *
 * Runtime rules are evaluated before the file's, so a runtime deny bites where the file allows.
 * The file's users and rules are read-only here: changing them is an edit of the file.
 */
export class SecurityEditor {
  readonly #o: SecurityEditorOptions;
  readonly #logger: Logger;
  readonly #fileUsers: ReadonlyMap<string, UserEntry>;
  readonly #users = new Map<string, StoredUser>();
  #rules: StoredAclRule[];

  /** Loads the stored edits and installs them; throws when a stored entry no longer compiles. */
  constructor(opts: SecurityEditorOptions) {
    this.#o = opts;
    this.#logger = opts.logger ?? silentLogger();
    this.#fileUsers = new Map(opts.fileUsers.map((u) => [u.username, u]));
    const stored = opts.store.load();
    for (const u of stored.users) {
      // A file user added after the runtime one wins: the file is the administrator's word.
      if (this.#fileUsers.has(u.username))
        this.#logger.warn({ username: u.username }, 'runtime MQTT user shadowed by the config file; ignored');
      else this.#users.set(u.username, u);
    }
    this.#rules = stored.rules;
    this.#install();
  }

  get persistent(): boolean {
    return this.#o.persistent;
  }

  /** File and runtime users by username; secrets never leave. */
  users(): UserView[] {
    const file = [...this.#fileUsers.values()].map(fileUserView);
    const runtime = [...this.#users.values()].map(runtimeUserView);
    return [...file, ...runtime].sort((a, b) => compare(a.username, b.username));
  }

  /** Every rule in evaluation order: the runtime rules, then the file's. */
  rules(): AclRuleView[] {
    const runtime = this.#rules.map(({ id, ...rule }) => ({ id, source: 'runtime' as const, rule }));
    const file = this.#o.fileAcl.map((rule, i) => ({ id: `file-${i}`, source: 'file' as const, rule }));
    return [...runtime, ...file].map(({ id, source, rule }, index) => ({
      index,
      id,
      source,
      permission: rule.permission,
      action: rule.action,
      topic: rule.topic,
      who: { ...rule.who },
    }));
  }

  // ── users ───────────────────────────────────────────────────────────────────────────────

  /** Adds a password user (scrypt hash and SCRAM keys; the password itself is not kept). */
  async createUser(input: NewUserInput): Promise<UserView> {
    const problem =
      usernameError(input.username) ?? passwordError(input.password) ?? rolesError(input.roles ?? []);
    if (problem) throw AdminErrors.USER_INVALID.create([problem]);
    this.#assertFree(input.username);
    const secrets = await this.#secrets(input.password);
    this.#assertFree(input.username); // another request may have taken the name while hashing
    const now = this.#o.clock.now();
    const user: StoredUser = {
      username: input.username,
      ...secrets,
      roles: [...(input.roles ?? [])],
      createdAt: now,
      updatedAt: now,
    };
    this.#o.store.userSaved(user);
    this.#users.set(user.username, user);
    this.#install();
    this.#logger.info({ username: user.username, roles: user.roles }, 'MQTT user added');
    return runtimeUserView(user);
  }

  /** Changes a runtime user's password and/or roles; returns the views before and after. */
  async updateUser(username: string, change: UserChange): Promise<{ before: UserView; after: UserView }> {
    const problem =
      (change.password !== undefined ? passwordError(change.password) : undefined) ??
      rolesError(change.roles ?? []);
    if (problem) throw AdminErrors.USER_INVALID.create([problem]);
    this.#runtimeUser(username);
    const secrets = change.password !== undefined ? await this.#secrets(change.password) : undefined;
    const before = this.#runtimeUser(username); // it may have gone while hashing
    const after: StoredUser = {
      ...before,
      ...secrets,
      ...(change.roles !== undefined && { roles: [...change.roles] }),
      updatedAt: this.#o.clock.now(),
    };
    this.#o.store.userSaved(after);
    this.#users.set(username, after);
    this.#install();
    this.#logger.info({ username, password: secrets !== undefined, roles: after.roles }, 'MQTT user changed');
    return { before: runtimeUserView(before), after: runtimeUserView(after) };
  }

  /** Removes a runtime user: its next CONNECT is refused. */
  deleteUser(username: string): UserView {
    const user = this.#runtimeUser(username);
    this.#o.store.userDeleted(username);
    this.#users.delete(username);
    this.#install();
    this.#logger.info({ username }, 'MQTT user deleted');
    return runtimeUserView(user);
  }

  // ── ACL rules ───────────────────────────────────────────────────────────────────────────

  createRule(input: AclRuleInput): AclRuleView {
    const { position, ...rule } = input;
    const stored: StoredAclRule = { id: randomUUID(), ...normalised(rule) };
    const next = [...this.#rules];
    next.splice(this.#position(position, next.length), 0, stored);
    this.#commitRules(next);
    this.#logger.info({ rule: stored }, 'MQTT ACL rule added');
    return this.#view(stored.id);
  }

  /** Changes fields of a runtime rule and/or moves it; returns the views before and after. */
  updateRule(id: string, change: AclRuleChange): { before: AclRuleView; after: AclRuleView } {
    const at = this.#runtimeRuleIndex(id);
    const before = this.#view(id);
    const { position, ...fields } = change;
    const current = this.#rules[at]!;
    const updated: StoredAclRule = { id, ...normalised({ ...current, ...fields }) };
    const next = this.#rules.filter((r) => r.id !== id);
    next.splice(position === undefined ? at : this.#position(position, next.length), 0, updated);
    this.#commitRules(next);
    this.#logger.info({ rule: updated, position: next.indexOf(updated) }, 'MQTT ACL rule changed');
    return { before, after: this.#view(id) };
  }

  deleteRule(id: string): AclRuleView {
    this.#runtimeRuleIndex(id);
    const before = this.#view(id);
    this.#commitRules(this.#rules.filter((r) => r.id !== id));
    this.#logger.info({ id }, 'MQTT ACL rule deleted');
    return before;
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  #commitRules(next: StoredAclRule[]): void {
    for (const r of next) {
      const problem = aclRuleInputError(r);
      if (problem) throw AdminErrors.RULE_INVALID.create([problem]);
    }
    this.#o.store.rulesSaved(next);
    this.#rules = next;
    this.#install();
  }

  #install(): void {
    const users: UserEntry[] = [...this.#users.values()].map((u) => ({
      username: u.username,
      passwordHash: u.passwordHash,
      ...(u.scram !== undefined && { scram: u.scram }),
      roles: u.roles,
    }));
    this.#o.access.setRuntime(
      users,
      this.#rules.map(({ id: _id, ...rule }) => rule),
    );
  }

  async #secrets(password: string): Promise<{ passwordHash: string; scram: string }> {
    const [passwordHash, scram] = await Promise.all([
      hashPassword(password, this.#o.hashParams),
      scramCredentials(password, SCRAM_MIN_ITERATIONS),
    ]);
    return { passwordHash, scram };
  }

  #assertFree(username: string): void {
    if (this.#fileUsers.has(username))
      throw AdminErrors.USER_EXISTS.create([username, ' in the broker config file']);
    if (this.#users.has(username)) throw AdminErrors.USER_EXISTS.create([username, '']);
  }

  #runtimeUser(username: string): StoredUser {
    const user = this.#users.get(username);
    if (user) return user;
    if (this.#fileUsers.has(username)) throw AdminErrors.READ_ONLY.create(['user', username]);
    throw AdminErrors.USER_NOT_FOUND.create([username]);
  }

  #runtimeRuleIndex(id: string): number {
    const at = this.#rules.findIndex((r) => r.id === id);
    if (at >= 0) return at;
    if (/^file-\d+$/.test(id) && Number(id.slice(5)) < this.#o.fileAcl.length)
      throw AdminErrors.READ_ONLY.create(['ACL rule', id]);
    throw AdminErrors.RULE_NOT_FOUND.create([id]);
  }

  #position(position: number | undefined, length: number): number {
    if (position === undefined) return length;
    if (!Number.isInteger(position) || position < 0 || position > length)
      throw AdminErrors.RULE_INVALID.create([`position must be an integer from 0 to ${length}`]);
    return position;
  }

  #view(id: string): AclRuleView {
    return this.rules().find((r) => r.id === id)!;
  }
}

/** A rule with only the fields the ACL reads (a `who` with no keys dropped). */
function normalised(rule: AclRule): AclRule {
  const who = Object.fromEntries(Object.entries(rule.who ?? {}).filter(([, v]) => v !== undefined));
  return {
    permission: rule.permission,
    action: rule.action,
    topic: rule.topic,
    ...(Object.keys(who).length > 0 && { who }),
  };
}

function fileUserView(u: UserEntry): UserView {
  return {
    username: u.username,
    source: 'file',
    ...(u.passwordHash !== undefined && { passwordScheme: u.passwordHash.split('$', 1)[0]! }),
    scram: u.scram !== undefined,
    roles: [...(u.roles ?? [])],
  };
}

function runtimeUserView(u: StoredUser): UserView {
  return {
    username: u.username,
    source: 'runtime',
    passwordScheme: u.passwordHash.split('$', 1)[0]!,
    scram: u.scram !== undefined,
    roles: [...u.roles],
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
