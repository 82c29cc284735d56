import type Database from 'better-sqlite3';
import { StoreErrors } from '../errors.js';
import { TIER_WIDTH } from '../tiers.js';
import { rollupBackfillSql, rollupTableSql } from './rollups.js';
import { METADATA_SQL } from './metadata/schema.js';

/**
 * Schema migrations, applied in order inside one transaction each. A migration is never edited
 * once released; a change is a new entry. `schema_version` holds the highest applied version.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'points, samples and latest',
    sql: `
      CREATE TABLE points (
        id   INTEGER PRIMARY KEY,
        key  TEXT NOT NULL UNIQUE,
        site TEXT,
        node TEXT,
        doc  TEXT -- the Point as JSON; NULL while only samples have named this key
      );
      CREATE INDEX points_site_node ON points (site, node);

      -- (point_id, ts) is the identity of a sample: replays replace, never duplicate.
      CREATE TABLE samples (
        point_id INTEGER NOT NULL,
        ts       INTEGER NOT NULL,
        num      REAL,
        txt      TEXT,
        q        INTEGER NOT NULL,
        reason   TEXT,
        PRIMARY KEY (point_id, ts)
      ) WITHOUT ROWID;

      CREATE TABLE latest (
        point_id INTEGER PRIMARY KEY,
        ts       INTEGER NOT NULL,
        num      REAL,
        txt      TEXT,
        q        INTEGER NOT NULL,
        reason   TEXT
      );
    `,
  },
  {
    version: 2,
    description: '1-minute and 1-hour rollups, backfilled from the samples present',
    sql: [
      rollupTableSql('rollup_1m'),
      rollupTableSql('rollup_1h'),
      rollupBackfillSql('rollup_1m', TIER_WIDTH['1m']),
      rollupBackfillSql('rollup_1h', TIER_WIDTH['1h']),
    ].join('\n'),
  },
  { version: 3, description: 'metadata: rules, edge configs, users, API keys, audit', sql: METADATA_SQL },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Brings the database to SCHEMA_VERSION; refuses a database written by a newer build. */
export function migrate(db: Database.Database, location: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare<[], { version: number }>('SELECT max(version) AS version FROM schema_version').get();
  const current = row?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw StoreErrors.SCHEMA_NEWER.create([location, current, SCHEMA_VERSION]);
  }
  const record = db.prepare('INSERT INTO schema_version (version) VALUES (?)');
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version);
    })();
  }
}
