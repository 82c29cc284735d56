import { GATEWAYS_SQL } from './schema-gateways.js';
import { ALARMS_SQL } from './schema-alarms.js';

/**
 * SQLite tables of the metadata part (migration 3). JSON values are TEXT holding JSON, flags
 * INTEGER 0/1, timestamps INTEGER ms epoch. The audit table has no update or delete path in the
 * code; `seq` is AUTOINCREMENT so a number is never reused, even after the newest row is gone.
 */
export const METADATA_SQL = `
  CREATE TABLE md_rules (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    name       TEXT NOT NULL,
    enabled    INTEGER NOT NULL,
    definition TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (project, name)
  );

  CREATE TABLE md_edge_configs (
    node       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    project    TEXT NOT NULL,
    config     TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    ack_at     INTEGER,
    ack_ok     INTEGER,
    ack_detail TEXT,
    PRIMARY KEY (node, version)
  ) WITHOUT ROWID;
${GATEWAYS_SQL}
${ALARMS_SQL}

  CREATE TABLE md_sinks (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    doc        TEXT NOT NULL, -- the SinkDefinitionInput as given
    revision   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE md_users (
    id                   TEXT PRIMARY KEY,
    project              TEXT NOT NULL,
    name                 TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    must_change_password INTEGER NOT NULL,
    disabled             INTEGER NOT NULL,
    revision             INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
  );

  CREATE TABLE md_api_keys (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    prefix     TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
  );

  CREATE TABLE md_audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    resource TEXT NOT NULL,
    project  TEXT,
    before   TEXT,
    after    TEXT,
    origin   TEXT
  );
  CREATE INDEX md_audit_at ON md_audit (at, seq);
  CREATE INDEX md_audit_actor ON md_audit (actor, at, seq);
  CREATE INDEX md_audit_resource ON md_audit (resource, at, seq);

  CREATE TABLE md_sites (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    doc        TEXT NOT NULL, -- the Site as given
    revision   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE md_assets (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    site       TEXT NOT NULL,
    doc        TEXT NOT NULL, -- the Asset as given
    revision   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX md_assets_site ON md_assets (site);

  CREATE TABLE md_sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    origin     TEXT,
    revoked_at INTEGER
  );
  CREATE INDEX md_sessions_user ON md_sessions (user_id, created_at);
`;
