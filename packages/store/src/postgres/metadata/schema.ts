import { GATEWAYS_SQL } from './schema-gateways.js';
import { ALARMS_SQL } from './schema-alarms.js';

/**
 * PostgreSQL tables of the metadata part (migration 2); `$S` is the store's schema. JSON values
 * are jsonb, flags boolean, timestamps bigint ms epoch, as in the embedded store's tables. The
 * audit table has no update or delete path in the code; its seq is an identity column.
 */
export const METADATA_SQL = `
  CREATE TABLE $S.md_rules (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    name       text NOT NULL,
    enabled    boolean NOT NULL,
    definition jsonb NOT NULL,
    revision   integer NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (project, name)
  );

  CREATE TABLE $S.md_edge_configs (
    node       text NOT NULL,
    version    bigint NOT NULL,
    project    text NOT NULL,
    config     jsonb NOT NULL,
    checksum   text NOT NULL,
    author     text NOT NULL,
    created_at bigint NOT NULL,
    ack_at     bigint,
    ack_ok     boolean,
    ack_detail text,
    PRIMARY KEY (node, version)
  );
${GATEWAYS_SQL}
${ALARMS_SQL}

  CREATE TABLE $S.md_sinks (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    doc        jsonb NOT NULL, -- the SinkDefinitionInput as given
    revision   integer NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );

  CREATE TABLE $S.md_users (
    id                   text PRIMARY KEY,
    project              text NOT NULL,
    name                 text NOT NULL UNIQUE,
    password_hash        text NOT NULL,
    role                 text NOT NULL,
    must_change_password boolean NOT NULL,
    disabled             boolean NOT NULL,
    revision             integer NOT NULL,
    created_at           bigint NOT NULL,
    updated_at           bigint NOT NULL
  );

  CREATE TABLE $S.md_api_keys (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    name       text NOT NULL,
    role       text NOT NULL,
    created_by text NOT NULL,
    prefix     text NOT NULL UNIQUE,
    hash       text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint,
    revoked_at bigint
  );

  CREATE TABLE $S.md_audit (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       bigint NOT NULL,
    actor    text NOT NULL,
    action   text NOT NULL,
    resource text NOT NULL,
    project  text,
    before   jsonb,
    after    jsonb,
    origin   text
  );
  CREATE INDEX md_audit_at ON $S.md_audit (at, seq);
  CREATE INDEX md_audit_actor ON $S.md_audit (actor, at, seq);
  CREATE INDEX md_audit_resource ON $S.md_audit (resource, at, seq);

  CREATE TABLE $S.md_sites (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    doc        jsonb NOT NULL, -- the Site as given
    revision   integer NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );

  CREATE TABLE $S.md_assets (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    site       text NOT NULL,
    doc        jsonb NOT NULL, -- the Asset as given
    revision   integer NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX md_assets_site ON $S.md_assets (site);

  CREATE TABLE $S.md_sessions (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    hash       text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    origin     text,
    revoked_at bigint
  );
  CREATE INDEX md_sessions_user ON $S.md_sessions (user_id, created_at);
`;
