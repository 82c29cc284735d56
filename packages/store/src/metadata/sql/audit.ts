import { MetadataErrors } from '../errors.js';
import type { AuditEntry, AuditInput, AuditLog, AuditPage, AuditQuery, Json } from '../types.js';
import type { SqlExecutor, SqlParam } from './executor.js';

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  resource: string;
  project: string | null;
  before: unknown;
  after: unknown;
  origin: string | null;
}

const COLUMNS = 'seq, at, actor, action, resource, project, before, after, origin';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** Rows fetched per round trip while exporting. */
const EXPORT_PAGE = 500;

/**
 * The audit log. Pages are ordered newest first by (at, seq) and continue with a keyset cursor
 * (the last entry's at and seq), so paging stays correct while entries are appended and costs
 * one index range scan per page however deep it goes.
 */
export class SqlAudit implements AuditLog {
  readonly #db: SqlExecutor;
  readonly #exportPage: number;

  /** `exportPage`: rows fetched per round trip while exporting. */
  constructor(db: SqlExecutor, exportPage = EXPORT_PAGE) {
    this.#db = db;
    this.#exportPage = exportPage;
  }

  async append(entry: AuditInput): Promise<AuditEntry> {
    const [row] = await this.#db.all<AuditRow>(
      `INSERT INTO $S.md_audit (at, actor, action, resource, project, before, after, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [
        entry.at ?? this.#db.clock.now(),
        entry.actor,
        entry.action,
        entry.resource,
        entry.project ?? null,
        jsonOrNull(entry.before),
        jsonOrNull(entry.after),
        entry.from ?? null,
      ],
    );
    return this.#decode(row!);
  }

  async query(q: AuditQuery = {}): Promise<AuditPage> {
    const asked = q.limit ?? DEFAULT_LIMIT;
    if (!Number.isFinite(asked)) throw MetadataErrors.INVALID.create(['audit limit', String(asked)]);
    const limit = Math.min(Math.max(1, Math.trunc(asked)), MAX_LIMIT);
    const rows = await this.#page(q, q.cursor === undefined ? undefined : decodeCursor(q.cursor), limit + 1);
    const entries = rows.slice(0, limit).map((r) => this.#decode(r));
    const last = entries[entries.length - 1];
    return rows.length > limit && last ? { entries, next: encodeCursor(last.at, last.seq) } : { entries };
  }

  async *export(q: Omit<AuditQuery, 'limit' | 'cursor'> = {}): AsyncIterable<string> {
    let after: [number, number] | undefined;
    for (;;) {
      const rows = await this.#page(q, after, this.#exportPage);
      for (const r of rows) yield `${JSON.stringify(this.#decode(r))}\n`;
      const last = rows[rows.length - 1];
      if (rows.length < this.#exportPage || !last) return;
      after = [Number(last.at), Number(last.seq)];
    }
  }

  #page(q: AuditQuery, after: [number, number] | undefined, limit: number): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    const eq = (column: string, v: string | undefined): void => {
      if (v === undefined) return;
      where.push(`${column} = ?`);
      params.push(v);
    };
    eq('actor', q.actor);
    eq('action', q.action);
    eq('resource', q.resource);
    eq('project', q.project);
    if (q.from !== undefined) {
      where.push('at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at <= ?');
      params.push(q.to);
    }
    if (after) {
      where.push('(at < ? OR (at = ? AND seq < ?))');
      params.push(after[0], after[0], after[1]);
    }
    params.push(limit);
    return this.#db.all<AuditRow>(
      `SELECT ${COLUMNS} FROM $S.md_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, seq DESC LIMIT ?`,
      params,
    );
  }

  #decode(r: AuditRow): AuditEntry {
    const e: AuditEntry = {
      seq: Number(r.seq),
      at: Number(r.at),
      actor: r.actor,
      action: r.action,
      resource: r.resource,
    };
    if (r.project !== null) e.project = r.project;
    if (r.before !== null) e.before = this.#db.json(r.before) as Json;
    if (r.after !== null) e.after = this.#db.json(r.after) as Json;
    if (r.origin !== null) e.from = r.origin;
    return e;
  }
}

/** An absent before/after is SQL NULL; a JSON null is stored as the text `null`. */
function jsonOrNull(v: Json | undefined): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

function encodeCursor(at: number, seq: number): string {
  return Buffer.from(`${at}:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw MetadataErrors.INVALID.create(['audit cursor', cursor]);
  return [Number(m[1]), Number(m[2])];
}
