import type pg from 'pg';
import { StoreErrors } from '../errors.js';
import { METADATA_SQL } from './metadata/schema.js';

/**
 * Schema migrations of the PostgreSQL store, applied in order, each in its own transaction with
 * its version recorded in `schema_version`. A released migration is never edited; a change is a
 * new entry. `$S` stands for the store's schema (quoted identifier, validated by the options).
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const ROLLUP_COLUMNS = `
    point_id integer NOT NULL,
    bucket   bigint  NOT NULL,           -- bucket start, ms epoch
    count    integer NOT NULL,           -- samples of any value and quality
    bad      integer NOT NULL,           -- samples of quality bad
    n        integer NOT NULL,           -- samples in min/max/sum: numbers and booleans, not bad
    sum      double precision NOT NULL,
    min      double precision,
    max      double precision,
    last_ts  bigint  NOT NULL,
    last_num double precision,
    last_txt text,
    last_q   smallint NOT NULL,
    PRIMARY KEY (point_id, bucket)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'points, partitioned samples, latest, 1-minute and 1-hour rollups',
    sql: `
      CREATE TABLE $S.points (
        id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key  text NOT NULL UNIQUE,
        site text,
        node text,
        doc  jsonb -- the Point; NULL while only samples have named this key
      );
      CREATE INDEX points_site_node ON $S.points (site, node);

      -- The identity of a sample is (point_id, ts): replays replace, never duplicate. Value and
      -- quality are encoded as in the embedded store (q = quality | kind << 2), ts is ms epoch.
      -- Range-partitioned on ts so retention drops whole partitions.
      CREATE TABLE $S.samples (
        point_id integer NOT NULL,
        ts       bigint  NOT NULL,
        num      double precision,
        txt      text,
        q        smallint NOT NULL,
        reason   text,
        PRIMARY KEY (point_id, ts)
      ) PARTITION BY RANGE (ts);

      CREATE TABLE $S.partitions (
        name text PRIMARY KEY,
        lo   bigint NOT NULL,
        hi   bigint NOT NULL
      );

      CREATE TABLE $S.latest (
        point_id integer PRIMARY KEY,
        ts       bigint NOT NULL,
        num      double precision,
        txt      text,
        q        smallint NOT NULL,
        reason   text
      );

      CREATE TABLE $S.rollup_1m (${ROLLUP_COLUMNS});
      CREATE TABLE $S.rollup_1h (${ROLLUP_COLUMNS});
    `,
  },
  { version: 2, description: 'metadata: rules, edge configs, users, API keys, audit', sql: METADATA_SQL },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/**
 * Brings `schema` to SCHEMA_VERSION; refuses one written by a newer build. Serialised by an
 * advisory lock so two processes opening the same empty schema at once do not both create it.
 */
export async function migrate(db: pg.ClientBase, schema: string, location: string): Promise<void> {
  await db.query('SELECT pg_advisory_lock(hashtext($1))', [`watershed-store:${schema}`]);
  try {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
         version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const r = await db.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_version`,
    );
    const current = r.rows[0]?.version ?? 0;
    if (current > SCHEMA_VERSION) throw StoreErrors.SCHEMA_NEWER.create([location, current, SCHEMA_VERSION]);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await db.query('BEGIN');
      try {
        await db.query(m.sql.replaceAll('$S', schema));
        await db.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [m.version]);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    await db.query('SELECT pg_advisory_unlock(hashtext($1))', [`watershed-store:${schema}`]);
  }
}
