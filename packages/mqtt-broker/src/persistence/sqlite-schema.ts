import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PersistenceErrors } from './errors.js';

/** The version this code writes; `PRAGMA user_version` holds it in the file. */
export const SCHEMA_VERSION = 1;

/**
 * Migrations by the version they produce; MIGRATIONS[n - 1] takes a file from n - 1 to n. A
 * file newer than the code is refused rather than half-read.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    client_id       TEXT PRIMARY KEY,
    expiry_interval INTEGER NOT NULL,
    disconnected_at INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE subscriptions (
    client_id           TEXT NOT NULL,
    raw                 TEXT NOT NULL,
    filter              TEXT NOT NULL,
    share_group         TEXT,
    qos                 INTEGER NOT NULL,
    no_local            INTEGER NOT NULL,
    retain_as_published INTEGER NOT NULL,
    subscription_id     INTEGER,
    PRIMARY KEY (client_id, raw)
  ) WITHOUT ROWID;
  -- Queue and inflight rows are ordered by id: a new rowid is always above every existing one.
  CREATE TABLE queue (
    id               INTEGER PRIMARY KEY,
    client_id        TEXT NOT NULL,
    topic            TEXT NOT NULL,
    payload          BLOB NOT NULL,
    qos              INTEGER NOT NULL,
    retain           INTEGER NOT NULL,
    properties       TEXT,
    subscription_ids TEXT,
    expires_at       INTEGER
  );
  CREATE INDEX queue_by_client ON queue (client_id, id);
  CREATE TABLE inflight (
    id               INTEGER PRIMARY KEY,
    client_id        TEXT NOT NULL,
    packet_id        INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('publish', 'pubrel')),
    topic            TEXT NOT NULL,
    payload          BLOB NOT NULL,
    qos              INTEGER NOT NULL,
    retain           INTEGER NOT NULL,
    properties       TEXT,
    subscription_ids TEXT,
    expires_at       INTEGER,
    UNIQUE (client_id, packet_id)
  );
  CREATE TABLE incoming_qos2 (
    client_id TEXT NOT NULL,
    packet_id INTEGER NOT NULL,
    PRIMARY KEY (client_id, packet_id)
  ) WITHOUT ROWID;
  CREATE TABLE wills (
    client_id   TEXT PRIMARY KEY,
    topic       TEXT NOT NULL,
    payload     BLOB NOT NULL,
    qos         INTEGER NOT NULL,
    retain      INTEGER NOT NULL,
    properties  TEXT,
    received_at INTEGER NOT NULL,
    delay_s     INTEGER NOT NULL,
    -- NULL while armed: the client is connected
    publish_at  INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE retained (
    topic       TEXT PRIMARY KEY,
    payload     BLOB NOT NULL,
    qos         INTEGER NOT NULL,
    client_id   TEXT,
    properties  TEXT,
    received_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

/**
 * How hard a commit is pushed to disk. In WAL mode 'normal' survives the broker process dying
 * (SIGKILL, OOM kill: the WAL is in the OS page cache) but not a power cut; 'full' also
 * survives a power cut at the price of an fsync per commit; 'off' trusts the OS entirely.
 */
export type SyncMode = 'off' | 'normal' | 'full';

/**
 * Opens (creating when absent) the state file, checks that it is intact and of a version this
 * code reads, and brings it to SCHEMA_VERSION. Every failure names the file.
 */
export function openStateFile(file: string, syncMode: SyncMode): Database.Database {
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      throw PersistenceErrors.OPEN_FAILED.create([file, (err as Error).message], undefined, err);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw PersistenceErrors.OPEN_FAILED.create([file, (err as Error).message], undefined, err);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${syncMode.toUpperCase()}`);
    // A damaged page found now is reported as such, not as a confusing failure mid-restore.
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw PersistenceErrors.CORRUPT.create([file, check]);
    migrate(db, file);
    return db;
  } catch (err) {
    db.close();
    if (PersistenceErrors.CORRUPT.is(err) || PersistenceErrors.VERSION.is(err)) throw err;
    if (isCorruption(err))
      throw PersistenceErrors.CORRUPT.create([file, (err as Error).message], undefined, err);
    throw PersistenceErrors.OPEN_FAILED.create([file, (err as Error).message], undefined, err);
  }
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw PersistenceErrors.VERSION.create([file, version, SCHEMA_VERSION]);
  if (version === 0) {
    // A version-0 file that already has tables is someone else's database, not a fresh one.
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0) throw PersistenceErrors.CORRUPT.create([file, 'not an MQTT broker state file']);
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** SQLite's own verdict (error code), never the message text. */
function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB';
}
