import { Type } from 'typebox';
import { MetadataErrors } from '../errors.js';
import type {
  AlarmHistoryEntry,
  AlarmHistoryInput,
  AlarmHistoryPage,
  AlarmHistoryQuery,
  AlarmHistoryRepository,
  AlarmRepositories,
  AlarmRuleFilter,
  AlarmRuleInput,
  AlarmStateFilter,
  AlarmStateRecord,
  AlarmStateRepository,
} from '../alarm-types.js';
import type { Json } from '../types.js';
import { SqlDocuments } from './documents.js';
import type { SqlExecutor, SqlParam } from './executor.js';

/** What the store indexes of a rule; the alarm package validates the rest. */
const AlarmRuleShape = Type.Object({
  id: Type.String({ minLength: 1 }),
  point: Type.String({ minLength: 1 }),
});

export function sqlAlarmRepositories(db: SqlExecutor): AlarmRepositories {
  return {
    rules: new SqlDocuments<AlarmRuleInput, AlarmRuleFilter>(db, {
      kind: 'alarm rule',
      table: '$S.md_alarm_rules',
      schema: AlarmRuleShape,
      columns: ['point'],
    }),
    states: new SqlAlarmStates(db),
    history: new SqlAlarmHistory(db),
  };
}

interface StateRow {
  id: string;
  project: string;
  point: string;
  state: unknown;
  updated_at: number;
}

const STATE_COLUMNS = 'id, project, point, state, updated_at';

class SqlAlarmStates implements AlarmStateRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async save(r: Omit<AlarmStateRecord, 'updatedAt'>): Promise<AlarmStateRecord> {
    const [row] = await this.#db.all<StateRow>(
      `INSERT INTO $S.md_alarm_states (${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET project = excluded.project, point = excluded.point,
         state = excluded.state, updated_at = excluded.updated_at
       RETURNING ${STATE_COLUMNS}`,
      [r.id, r.project, r.point, JSON.stringify(r.state), this.#db.clock.now()],
    );
    return this.#decode(row!);
  }

  async get(id: string): Promise<AlarmStateRecord | undefined> {
    const [row] = await this.#db.all<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM $S.md_alarm_states WHERE id = ?`,
      [id],
    );
    return row && this.#decode(row);
  }

  async list(filter: AlarmStateFilter = {}): Promise<AlarmStateRecord[]> {
    const { where, params } = conditions([
      ['project = ?', filter.project],
      ['point = ?', filter.point],
    ]);
    const rows = await this.#db.all<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM $S.md_alarm_states ${where} ORDER BY id`,
      params,
    );
    return rows.map((r) => this.#decode(r));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM $S.md_alarm_states WHERE id = ?', [id])) > 0;
  }

  #decode(r: StateRow): AlarmStateRecord {
    return {
      id: r.id,
      project: r.project,
      point: r.point,
      state: this.#db.json(r.state) as Json,
      updatedAt: Number(r.updated_at),
    };
  }
}

interface HistoryRow {
  seq: number | string;
  alarm: string;
  project: string;
  point: string;
  kind: string;
  at: number | string;
  event: unknown;
}

const HISTORY_COLUMNS = 'seq, alarm, project, point, kind, at, event';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Pages by seq, newest first, continuing below the last seq seen: stable while entries are appended. */
class SqlAlarmHistory implements AlarmHistoryRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async append(e: AlarmHistoryInput): Promise<AlarmHistoryEntry> {
    const [row] = await this.#db.all<HistoryRow>(
      `INSERT INTO $S.md_alarm_history (alarm, project, point, kind, at, event) VALUES (?, ?, ?, ?, ?, ?)
       RETURNING ${HISTORY_COLUMNS}`,
      [e.alarm, e.project, e.point, e.kind, e.at, JSON.stringify(e.event)],
    );
    return this.#decode(row!);
  }

  async query(q: AlarmHistoryQuery = {}): Promise<AlarmHistoryPage> {
    const asked = q.limit ?? DEFAULT_LIMIT;
    if (!Number.isFinite(asked)) throw MetadataErrors.INVALID.create(['alarm history limit', String(asked)]);
    const limit = Math.min(Math.max(1, Math.trunc(asked)), MAX_LIMIT);
    let below: number | undefined;
    if (q.cursor !== undefined) {
      below = Number(q.cursor);
      if (!Number.isSafeInteger(below))
        throw MetadataErrors.INVALID.create(['alarm history cursor', q.cursor]);
    }
    const { where, params } = conditions([
      ['project = ?', q.project],
      ['alarm = ?', q.alarm],
      ['point = ?', q.point],
      ['kind = ?', q.kind],
      ['at >= ?', q.from],
      ['at <= ?', q.to],
      ['seq < ?', below],
    ]);
    const rows = await this.#db.all<HistoryRow>(
      `SELECT ${HISTORY_COLUMNS} FROM $S.md_alarm_history ${where} ORDER BY seq DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const entries = rows.slice(0, limit).map((r) => this.#decode(r));
    return rows.length > limit ? { entries, next: String(entries[entries.length - 1]!.seq) } : { entries };
  }

  async prune(before: number): Promise<number> {
    return this.#db.run('DELETE FROM $S.md_alarm_history WHERE at < ?', [before]);
  }

  #decode(r: HistoryRow): AlarmHistoryEntry {
    return {
      seq: Number(r.seq),
      alarm: r.alarm,
      project: r.project,
      point: r.point,
      kind: r.kind,
      at: Number(r.at),
      event: this.#db.json(r.event) as Json,
    };
  }
}

function conditions(list: readonly [string, SqlParam | undefined][]): { where: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const [sql, v] of list) {
    if (v === undefined) continue;
    parts.push(sql);
    params.push(v);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
