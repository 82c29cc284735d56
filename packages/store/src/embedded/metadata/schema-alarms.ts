/**
 * SQLite tables of the alarm engine, part of the (unreleased) metadata migration: rules as
 * revisioned JSON documents, one state row per alarm, and the append-only history whose seq is
 * AUTOINCREMENT so a number is never reused.
 */
export const ALARMS_SQL = `
  CREATE TABLE md_alarm_rules (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    point      TEXT NOT NULL,
    doc        TEXT NOT NULL, -- the AlarmRule as given
    revision   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX md_alarm_rules_project ON md_alarm_rules (project, point);

  CREATE TABLE md_alarm_states (
    id         TEXT PRIMARY KEY,
    project    TEXT NOT NULL,
    point      TEXT NOT NULL,
    state      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX md_alarm_states_project ON md_alarm_states (project, point);

  CREATE TABLE md_alarm_history (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    alarm   TEXT NOT NULL,
    project TEXT NOT NULL,
    point   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    event   TEXT NOT NULL
  );
  CREATE INDEX md_alarm_history_project ON md_alarm_history (project, seq);
  CREATE INDEX md_alarm_history_alarm ON md_alarm_history (alarm, seq);
  CREATE INDEX md_alarm_history_at ON md_alarm_history (at);
`;
