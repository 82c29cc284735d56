import { randomUUID } from 'node:crypto';
import { MetadataErrors } from '../errors.js';
import type { ProjectFilter, User, UserInput, UserPatch, UserRepository } from '../types.js';
import { bit, flag, type SqlExecutor } from './executor.js';

interface UserRow {
  id: string;
  project: string;
  name: string;
  password_hash: string;
  role: string;
  must_change_password: unknown;
  disabled: unknown;
  revision: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, project, name, password_hash, role, must_change_password, disabled, revision, created_at, updated_at';

/** An unguarded update retries this often when concurrent writers keep moving the revision. */
const UNGUARDED_ATTEMPTS = 3;

export class SqlUsers implements UserRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async create(input: UserInput): Promise<User> {
    const now = this.#db.clock.now();
    try {
      const [row] = await this.#db.all<UserRow>(
        `INSERT INTO $S.md_users (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          input.project,
          input.name,
          input.passwordHash,
          input.role,
          bit(input.mustChangePassword),
          bit(input.disabled),
          now,
          now,
        ],
      );
      return decode(row!);
    } catch (err) {
      if (!this.#db.isUniqueViolation(err)) throw err;
      throw MetadataErrors.DUPLICATE.create(['user', input.name], undefined, err);
    }
  }

  async get(id: string): Promise<User | undefined> {
    const [row] = await this.#db.all<UserRow>(`SELECT ${COLUMNS} FROM $S.md_users WHERE id = ?`, [id]);
    return row && decode(row);
  }

  async byName(name: string): Promise<User | undefined> {
    const [row] = await this.#db.all<UserRow>(`SELECT ${COLUMNS} FROM $S.md_users WHERE name = ?`, [name]);
    return row && decode(row);
  }

  async list(filter: ProjectFilter = {}): Promise<User[]> {
    const rows =
      filter.project === undefined
        ? await this.#db.all<UserRow>(`SELECT ${COLUMNS} FROM $S.md_users ORDER BY name`)
        : await this.#db.all<UserRow>(`SELECT ${COLUMNS} FROM $S.md_users WHERE project = ? ORDER BY name`, [
            filter.project,
          ]);
    return rows.map(decode);
  }

  /**
   * Read, merge, write guarded by the revision read: a patch never overwrites fields another
   * writer changed in between with stale values. Without `expectedRevision` a lost race is
   * retried on the fresh row; with it the caller's view was stale, which is a conflict.
   */
  async update(id: string, patch: UserPatch, expectedRevision?: number): Promise<User> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(id);
      if (!current) throw MetadataErrors.NOT_FOUND.create(['user', id]);
      if (expectedRevision !== undefined && current.revision !== expectedRevision) {
        throw MetadataErrors.REVISION_CONFLICT.create(['user', id, current.revision, expectedRevision], {
          revision: current.revision,
        });
      }
      const next = { ...current, ...definedOnly(patch) };
      const [row] = await this.#db.all<UserRow>(
        `UPDATE $S.md_users SET project = ?, password_hash = ?, role = ?, must_change_password = ?,
           disabled = ?, revision = revision + 1, updated_at = ?
         WHERE id = ? AND revision = ? RETURNING ${COLUMNS}`,
        [
          next.project,
          next.passwordHash,
          next.role,
          bit(next.mustChangePassword),
          bit(next.disabled),
          this.#db.clock.now(),
          id,
          current.revision,
        ],
      );
      if (row) return decode(row);
      if (expectedRevision !== undefined || attempt + 1 >= UNGUARDED_ATTEMPTS) {
        const now = await this.get(id);
        if (!now) throw MetadataErrors.NOT_FOUND.create(['user', id]);
        throw MetadataErrors.REVISION_CONFLICT.create(['user', id, now.revision, current.revision], {
          revision: now.revision,
        });
      }
    }
  }
}

function definedOnly(patch: UserPatch): UserPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

function decode(r: UserRow): User {
  return {
    id: r.id,
    project: r.project,
    name: r.name,
    passwordHash: r.password_hash,
    role: r.role,
    mustChangePassword: flag(r.must_change_password),
    disabled: flag(r.disabled),
    revision: Number(r.revision),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
