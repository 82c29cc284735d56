/**
 * PostgreSQL tables of the alarm engine, part of the (unreleased) metadata migration; `$S` is
 * the store's schema. JSON is jsonb, timestamps bigint ms epoch, as in the embedded tables.
 */
export const ALARMS_SQL = `
  CREATE TABLE $S.md_alarm_rules (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    point      text NOT NULL,
    doc        jsonb NOT NULL,
    revision   integer NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX md_alarm_rules_project ON $S.md_alarm_rules (project, point);

  CREATE TABLE $S.md_alarm_states (
    id         text PRIMARY KEY,
    project    text NOT NULL,
    point      text NOT NULL,
    state      jsonb NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX md_alarm_states_project ON $S.md_alarm_states (project, point);

  CREATE TABLE $S.md_alarm_history (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alarm   text NOT NULL,
    project text NOT NULL,
    point   text NOT NULL,
    kind    text NOT NULL,
    at      bigint NOT NULL,
    event   jsonb NOT NULL
  );
  CREATE INDEX md_alarm_history_project ON $S.md_alarm_history (project, seq);
  CREATE INDEX md_alarm_history_alarm ON $S.md_alarm_history (alarm, seq);
  CREATE INDEX md_alarm_history_at ON $S.md_alarm_history (at);
`;
