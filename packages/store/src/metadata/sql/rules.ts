import { MetadataErrors } from '../errors.js';
import type { Json, Rule, RuleFilter, RuleInput, RuleRepository } from '../types.js';
import { bit, flag, type SqlExecutor, type SqlParam } from './executor.js';

interface RuleRow {
  id: string;
  project: string;
  name: string;
  enabled: unknown;
  definition: unknown;
  revision: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, project, name, enabled, definition, revision, created_at, updated_at';

export class SqlRules implements RuleRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async list(filter: RuleFilter = {}): Promise<Rule[]> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    if (filter.project !== undefined) {
      where.push('project = ?');
      params.push(filter.project);
    }
    if (filter.enabled !== undefined) {
      where.push('enabled = ?');
      params.push(bit(filter.enabled));
    }
    const rows = await this.#db.all<RuleRow>(
      `SELECT ${COLUMNS} FROM $S.md_rules ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map((r) => this.#decode(r));
  }

  async get(id: string): Promise<Rule | undefined> {
    const [row] = await this.#db.all<RuleRow>(`SELECT ${COLUMNS} FROM $S.md_rules WHERE id = ?`, [id]);
    return row && this.#decode(row);
  }

  async put(rule: RuleInput, expectedRevision?: number): Promise<Rule> {
    const now = this.#db.clock.now();
    const definition = JSON.stringify(rule.definition);
    try {
      if (expectedRevision === undefined) {
        const [row] = await this.#db.all<RuleRow>(
          `INSERT INTO $S.md_rules (${COLUMNS}) VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING ${COLUMNS}`,
          [rule.id, rule.project, rule.name, bit(rule.enabled), definition, now, now],
        );
        return this.#decode(row!);
      }
      const [row] = await this.#db.all<RuleRow>(
        `UPDATE $S.md_rules SET project = ?, name = ?, enabled = ?, definition = ?,
           revision = revision + 1, updated_at = ?
         WHERE id = ? AND revision = ? RETURNING ${COLUMNS}`,
        [rule.project, rule.name, bit(rule.enabled), definition, now, rule.id, expectedRevision],
      );
      return row ? this.#decode(row) : await this.#refused(rule.id, expectedRevision);
    } catch (err) {
      if (!this.#db.isUniqueViolation(err)) throw err;
      // Either the id (on create) or (project, name) is taken: say which.
      const existing = expectedRevision === undefined ? await this.get(rule.id) : undefined;
      throw existing
        ? MetadataErrors.DUPLICATE.create(['rule', rule.id], undefined, err)
        : MetadataErrors.DUPLICATE.create(
            ['rule named', `${rule.name} in project ${rule.project}`],
            undefined,
            err,
          );
    }
  }

  async delete(id: string, expectedRevision?: number): Promise<void> {
    const changed =
      expectedRevision === undefined
        ? await this.#db.run('DELETE FROM $S.md_rules WHERE id = ?', [id])
        : await this.#db.run('DELETE FROM $S.md_rules WHERE id = ? AND revision = ?', [id, expectedRevision]);
    if (changed === 0) await this.#refused(id, expectedRevision);
  }

  async setEnabled(id: string, enabled: boolean, expectedRevision?: number): Promise<Rule> {
    const now = this.#db.clock.now();
    const [row] = await this.#db.all<RuleRow>(
      `UPDATE $S.md_rules SET enabled = ?, revision = revision + 1, updated_at = ?
       WHERE id = ? ${expectedRevision === undefined ? '' : 'AND revision = ?'} RETURNING ${COLUMNS}`,
      expectedRevision === undefined ? [bit(enabled), now, id] : [bit(enabled), now, id, expectedRevision],
    );
    return row ? this.#decode(row) : await this.#refused(id, expectedRevision);
  }

  /** Why a guarded change touched no row: the rule is gone, or it moved past `expected`. */
  async #refused(id: string, expected: number | undefined): Promise<never> {
    const current = await this.get(id);
    if (!current) throw MetadataErrors.NOT_FOUND.create(['rule', id]);
    throw MetadataErrors.REVISION_CONFLICT.create(['rule', id, current.revision, expected ?? '?'], {
      revision: current.revision,
    });
  }

  #decode(r: RuleRow): Rule {
    return {
      id: r.id,
      project: r.project,
      name: r.name,
      enabled: flag(r.enabled),
      definition: this.#db.json(r.definition) as Json,
      revision: Number(r.revision),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }
}
