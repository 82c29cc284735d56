/**
 * SQLite table of the registered edge gateways, part of the (unreleased) metadata migration.
 * `node` is unique: it is the gateway's MQTT username. `hash` is the SHA-256 of its secret.
 */
export const GATEWAYS_SQL = `
  CREATE TABLE md_gateways (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    site       TEXT NOT NULL,
    node       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    issued_at  INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX md_gateways_project ON md_gateways (project, node);
`;
