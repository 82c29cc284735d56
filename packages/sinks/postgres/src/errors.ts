import { defineError } from '@watershed/common';
import pg from 'pg';

/** Catalog entries of the PostgreSQL sink. */
export const PostgresSinkErrors = {
  NO_TABLE: defineError(
    'WS_ERR_SINK_PG_NO_TABLE',
    400,
    'sink %s: %s rows are not samples {point, ts, value, quality} and no table is configured for them',
  ),
  REJECTED: defineError('WS_ERR_SINK_PG_REJECTED', 400, 'sink %s: PostgreSQL rejected the batch: %s'),
} as const;

/**
 * Whether PostgreSQL refused the rows themselves, so sending them again cannot succeed. SQLSTATE
 * classes (PostgreSQL docs, Appendix A): 22 data exception (a field that is no number, text too
 * long), 23 integrity constraint violation (NOT NULL, CHECK, foreign key), 42 syntax error or
 * access rule violation (a mapped column or table that does not exist). Everything else —
 * connection failures, shutdowns, serialization failures, out of disk — is worth a retry.
 */
export function isRowRejection(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return false;
  const cls = (err.code ?? '').slice(0, 2);
  return cls === '22' || cls === '23' || cls === '42';
}
