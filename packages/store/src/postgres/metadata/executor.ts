import pg from 'pg';
import { Errors, type Clock } from '@watershed/common';
import { numberPlaceholders, type SqlExecutor, type SqlParam } from '../../metadata/sql/executor.js';
import { toStoreError } from '../errors.js';

/** SQLSTATE unique_violation (PostgreSQL docs, Appendix A, class 23). */
const UNIQUE_VIOLATION = '23505';

/** OIDs in pg_type. */
const JSON_OID = 114;
const JSONB_OID = 3802;
const INT8_OID = 20;

/**
 * JSON columns come back as their text: node-postgres would parse them, and then a stored JSON
 * `null` (an audit entry's explicit `before: null`) could not be told from SQL NULL (absent).
 * bigint as number, as the store's pool does: every value written here is a safe integer.
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
    if (oid === JSON_OID || oid === JSONB_OID) return (v: string) => v;
    if (oid === INT8_OID) return Number;
    return pg.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
  },
};

/**
 * The metadata repositories' executor over the PostgreSQL store's pool. Each statement is one
 * autocommitted round trip; the repositories need no multi-statement transaction because every
 * guarded change is a single UPDATE ... WHERE revision = ? RETURNING.
 */
export class PgExecutor implements SqlExecutor {
  readonly clock: Clock;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #where: string;
  readonly #closed: () => boolean;
  readonly #texts = new Map<string, string>();

  constructor(pool: pg.Pool, schema: string, where: string, clock: Clock, closed: () => boolean) {
    this.#pool = pool;
    this.#schema = schema;
    this.#where = where;
    this.clock = clock;
    this.#closed = closed;
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return (await this.#query(sql, params)).rows as T[];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return (await this.#query(sql, params)).rowCount ?? 0;
  }

  json(raw: unknown): unknown {
    return JSON.parse(raw as string);
  }

  isUniqueViolation(err: unknown): boolean {
    const cause = (err as { cause?: unknown }).cause ?? err;
    return (cause as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
  }

  async #query(sql: string, params: readonly SqlParam[]): Promise<pg.QueryResult> {
    if (this.#closed()) throw Errors.CLOSED.create(['store']);
    let text = this.#texts.get(sql);
    if (text === undefined) {
      text = numberPlaceholders(sql.replaceAll('$S.', `${this.#schema}.`));
      this.#texts.set(sql, text);
    }
    try {
      return await this.#pool.query({ text, values: params as SqlParam[], types: TYPES });
    } catch (err) {
      throw toStoreError(err, this.#where, 'metadata');
    }
  }
}
