import { defineError, isWatershedError } from '@watershed/common';
import pg from 'pg';

/** The PostgreSQL adapter's own catalog entries; shared ones (invalid sample, write failed) are StoreErrors. */
export const PostgresStoreErrors = {
  UNAVAILABLE: defineError('WS_ERR_STORE_PG_UNAVAILABLE', 503, 'PostgreSQL store at %s is unavailable: %s'),
  QUERY_FAILED: defineError('WS_ERR_STORE_PG_QUERY', 500, 'PostgreSQL store query %s failed: %s'),
  INVALID_OPTIONS: defineError('WS_ERR_STORE_PG_OPTIONS', 400, 'invalid PostgreSQL store options: %s'),
} as const;

/**
 * Whether `err` says the database cannot be reached, as opposed to rejecting one statement.
 * Server errors carry a SQLSTATE: class 08 is "connection exception", 57P01-57P03 are admin or
 * crash shutdown and "cannot connect now" (PostgreSQL docs, Appendix A). Anything thrown that is
 * not a server error (a refused or reset socket, "connection terminated") is a transport failure.
 */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof pg.DatabaseError) {
    const code = err.code ?? '';
    return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
  }
  return true;
}

/** A pg failure as a catalog error: the database is gone, or it refused this statement. */
export function toStoreError(err: unknown, where: string, what: string): Error {
  if (isWatershedError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return isConnectionFailure(err)
    ? PostgresStoreErrors.UNAVAILABLE.create([where, message], { operation: what }, err)
    : PostgresStoreErrors.QUERY_FAILED.create([what, message], { where }, err);
}
