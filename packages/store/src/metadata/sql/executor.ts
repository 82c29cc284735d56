import type { Clock } from '@watershed/common';

export type SqlParam = string | number | null;

/**
 * What the metadata repositories need from a database: the SQLite and PostgreSQL adapters each
 * provide one, so the repositories (and their behaviour) are written once.
 *
 * Statements use `?` placeholders and `$S.` before table names; the adapter rewrites both for
 * its dialect. Booleans are written as 0/1 (SQLite has no boolean; PostgreSQL reads '0'/'1' as
 * boolean input) and read back with `flag()`; JSON is written as its text and read with `json()`.
 */
export interface SqlExecutor {
  readonly clock: Clock;
  /** Rows of a query, or of a statement with RETURNING. */
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** A JSON column's value as the driver returned it, decoded. */
  json(raw: unknown): unknown;
  /** Whether `err` is a unique or primary-key violation (the caller turns it into DUPLICATE). */
  isUniqueViolation(err: unknown): boolean;
}

export function flag(raw: unknown): boolean {
  return raw === true || raw === 1 || raw === '1';
}

export function bit(b: boolean | undefined): number {
  return b ? 1 : 0;
}

/** `?` → `$1, $2, ...` for PostgreSQL. The metadata statements hold no `?` inside literals. */
export function numberPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}
