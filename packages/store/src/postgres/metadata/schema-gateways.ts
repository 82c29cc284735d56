/**
 * PostgreSQL table of the registered edge gateways, part of the (unreleased) metadata
 * migration; `$S` is the store's schema. `node` is unique: it is the gateway's MQTT username.
 */
export const GATEWAYS_SQL = `
  CREATE TABLE $S.md_gateways (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    site       text NOT NULL,
    node       text NOT NULL UNIQUE,
    name       text NOT NULL,
    hash       text NOT NULL,
    created_at bigint NOT NULL,
    issued_at  bigint NOT NULL,
    revoked_at bigint
  );
  CREATE INDEX md_gateways_project ON $S.md_gateways (project, node);
`;
