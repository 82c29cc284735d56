import pg from 'pg';
import { PostgresStoreErrors } from './errors.js';
import type { PostgresStoreOptions } from './options.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The store's schema name, checked: it is spliced into statements as an identifier. */
export function schemaOf(opts: PostgresStoreOptions): string {
  const schema = opts.schema ?? 'watershed';
  if (!SCHEMA_NAME.test(schema)) {
    throw PostgresStoreErrors.INVALID_OPTIONS.create([
      `schema must match ${SCHEMA_NAME.source}, got ${schema}`,
    ]);
  }
  return schema;
}

/** Pool settings from the options: defaults, the caller's `pool`, and the store's type parsing. */
export function poolConfig(opts: PostgresStoreOptions): pg.PoolConfig {
  if (opts.connectionString === undefined && opts.pool === undefined) {
    throw PostgresStoreErrors.INVALID_OPTIONS.create(['give connectionString or pool']);
  }
  return {
    ...(opts.connectionString !== undefined && { connectionString: opts.connectionString }),
    connectionTimeoutMillis: 5000,
    // TCP keep-alive: a database host that vanishes (power, network) is noticed and the
    // connection failed, instead of a batch waiting on a dead socket forever.
    keepAlive: true,
    application_name: 'watershed-store',
    ...opts.pool,
    // bigint (ms epoch, counts) as number: every value the store writes is a safe integer.
    types: { getTypeParser: typeParser },
  };
}

/** OID of bigint (int8) in pg_type. */
const INT8_OID = 20;

function typeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
  if (oid === INT8_OID) return Number;
  return pg.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
}

/** `host:port/database#schema`, for messages and health; never the password. */
export function describeTarget(config: pg.PoolConfig, schema: string): string {
  if (config.connectionString) {
    try {
      const u = new URL(config.connectionString);
      return `${u.hostname}:${u.port || 5432}${u.pathname}#${schema}`;
    } catch {
      return `(connection string)#${schema}`;
    }
  }
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}#${schema}`;
}
