import Database from 'better-sqlite3';
import type { AclRule } from '../auth/acl.js';

/** A user the operator added at runtime: derived secrets only, as in the config file's users[]. */
export interface StoredUser {
  readonly username: string;
  /** scrypt hash (auth/password.ts), never the password. */
  readonly passwordHash: string;
  /** SCRAM-SHA-256 stored keys, so MQTT 5 enhanced authentication works for the user too. */
  readonly scram?: string;
  readonly roles: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** An ACL rule the operator added at runtime; `id` is stable across edits and moves. */
export interface StoredAclRule extends AclRule {
  readonly id: string;
}

export interface StoredSecurity {
  readonly users: StoredUser[];
  /** In evaluation order. */
  readonly rules: StoredAclRule[];
}

/**
 * Where runtime users and ACL rules outlive a restart. Writes are an operator's click, so they
 * are synchronous and committed before the change is applied or acknowledged.
 */
export interface SecurityStore {
  load(): StoredSecurity;
  userSaved(user: StoredUser): void;
  userDeleted(username: string): void;
  /** The whole ordered list: a move renumbers every rule, and there are tens, not millions. */
  rulesSaved(rules: readonly StoredAclRule[]): void;
  close(): void;
}

/** For a broker without persistence: runtime edits last until it stops. */
export class MemorySecurityStore implements SecurityStore {
  readonly #users = new Map<string, StoredUser>();
  #rules: readonly StoredAclRule[] = [];

  load(): StoredSecurity {
    return { users: [...this.#users.values()], rules: [...this.#rules] };
  }
  userSaved(user: StoredUser): void {
    this.#users.set(user.username, user);
  }
  userDeleted(username: string): void {
    this.#users.delete(username);
  }
  rulesSaved(rules: readonly StoredAclRule[]): void {
    this.#rules = [...rules];
  }
  close(): void {}
}

interface UserRow {
  username: string;
  password_hash: string;
  scram: string | null;
  roles: string;
  created_at: number;
  updated_at: number;
}

interface RuleRow {
  id: string;
  rule: string;
}

/**
 * Runtime users and rules in the broker's own SQLite state file (`persistence.file`), tables
 * `admin_users` and `admin_acl`, through a second connection as the operator bans are
 * (admin/ban-store.ts: WAL mode lets this writer and the broker's journal take turns). They
 * live with the broker rather than in the console's metadata store because the broker enforces
 * them and must have them before its first listener accepts a CONNECT, also when it runs on
 * its own (`watershed broker`) without a console.
 */
export class SqliteSecurityStore implements SecurityStore {
  readonly #db: Database.Database;
  readonly #upsertUser: Database.Statement;
  readonly #deleteUser: Database.Statement;
  readonly #replaceRules: (rules: readonly StoredAclRule[]) => void;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS admin_users (
      username      TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL,
      scram         TEXT,
      roles         TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS admin_acl (
      id       TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      rule     TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.#upsertUser = this.#db.prepare(
      `INSERT OR REPLACE INTO admin_users (username, password_hash, scram, roles, created_at, updated_at)
       VALUES (@username, @password_hash, @scram, @roles, @created_at, @updated_at)`,
    );
    this.#deleteUser = this.#db.prepare('DELETE FROM admin_users WHERE username = ?');
    const clear = this.#db.prepare('DELETE FROM admin_acl');
    const insert = this.#db.prepare('INSERT INTO admin_acl (id, position, rule) VALUES (?, ?, ?)');
    this.#replaceRules = this.#db.transaction((rules: readonly StoredAclRule[]) => {
      clear.run();
      rules.forEach(({ id, ...rule }, position) => insert.run(id, position, JSON.stringify(rule)));
    });
  }

  load(): StoredSecurity {
    const users = (this.#db.prepare('SELECT * FROM admin_users ORDER BY username').all() as UserRow[]).map(
      (r): StoredUser => ({
        username: r.username,
        passwordHash: r.password_hash,
        ...(r.scram !== null && { scram: r.scram }),
        roles: JSON.parse(r.roles) as string[],
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }),
    );
    const rules = (
      this.#db.prepare('SELECT id, rule FROM admin_acl ORDER BY position').all() as RuleRow[]
    ).map((r): StoredAclRule => ({ id: r.id, ...(JSON.parse(r.rule) as AclRule) }));
    return { users, rules };
  }

  userSaved(u: StoredUser): void {
    this.#upsertUser.run({
      username: u.username,
      password_hash: u.passwordHash,
      scram: u.scram ?? null,
      roles: JSON.stringify(u.roles),
      created_at: u.createdAt,
      updated_at: u.updatedAt,
    });
  }

  userDeleted(username: string): void {
    this.#deleteUser.run(username);
  }

  rulesSaved(rules: readonly StoredAclRule[]): void {
    this.#replaceRules(rules);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
