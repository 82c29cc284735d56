import type Database from 'better-sqlite3';
import { Errors, type Clock } from '@watershed/common';
import type { SqlExecutor, SqlParam } from '../../metadata/sql/executor.js';

/**
 * The metadata repositories' executor over the embedded store's connection. better-sqlite3 is
 * synchronous: each call runs to completion before the promise is returned, so statements never
 * interleave with the sample writer's transactions. Prepared statements are cached by text.
 */
export class SqliteExecutor implements SqlExecutor {
  readonly clock: Clock;
  readonly #db: Database.Database;
  readonly #closed: () => boolean;
  readonly #statements = new Map<string, Database.Statement<SqlParam[]>>();

  constructor(db: Database.Database, clock: Clock, closed: () => boolean) {
    this.#db = db;
    this.clock = clock;
    this.#closed = closed;
  }

  all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    try {
      return Promise.resolve(this.#prepare(sql).all(...params) as T[]);
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    try {
      return Promise.resolve(this.#prepare(sql).run(...params).changes);
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }

  json(raw: unknown): unknown {
    return JSON.parse(raw as string);
  }

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  #prepare(sql: string): Database.Statement<SqlParam[]> {
    if (this.#closed()) throw Errors.CLOSED.create(['store']);
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare<SqlParam[]>(sql.replaceAll('$S.', ''));
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
