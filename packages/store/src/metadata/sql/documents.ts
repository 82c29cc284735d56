import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { MetadataErrors } from '../errors.js';
import type { DocumentRepository, Revisioned } from '../types.js';
import type { SqlExecutor, SqlParam } from './executor.js';

/**
 * How one kind of document is kept: a table holding the whole input as JSON in `doc`, beside
 * copies of the fields lists filter on (`columns`, same names as the input's fields).
 */
export interface DocumentSpec<I> {
  /** For messages: `site`, `asset`. */
  kind: string;
  /** `$S.md_sites`. */
  table: string;
  /** The model's schema for the input without `project`. */
  schema: TSchema;
  columns: readonly (keyof I & string)[];
  /**
   * Deleting is refused while this `SELECT 1 ...` (taking the id as its one parameter) finds a
   * row; `user` names what still refers to it.
   */
  inUse?: { sql: string; user: string };
}

interface DocRow {
  id: string;
  doc: unknown;
  revision: number;
  created_at: number;
  updated_at: number;
}

/** Sites and assets: schema-checked JSON documents under optimistic concurrency. */
export class SqlDocuments<
  I extends { id: string; project: string },
  F extends object,
> implements DocumentRepository<I, I & Revisioned, F> {
  readonly #db: SqlExecutor;
  readonly #spec: DocumentSpec<I>;
  readonly #check: ReturnType<typeof Compile>;
  readonly #filterable: ReadonlySet<string>;

  constructor(db: SqlExecutor, spec: DocumentSpec<I>) {
    this.#db = db;
    this.#spec = spec;
    this.#check = Compile(spec.schema);
    this.#filterable = new Set(['project', ...spec.columns]);
  }

  async list(filter?: F): Promise<(I & Revisioned)[]> {
    const where: string[] = [];
    const params: SqlParam[] = [];
    for (const [k, v] of Object.entries(filter ?? {})) {
      if (v === undefined) continue;
      // Column names come from the spec, never from the caller: unknown keys are refused.
      if (!this.#filterable.has(k)) throw MetadataErrors.INVALID.create([`${this.#spec.kind} filter`, k]);
      where.push(`${k} = ?`);
      params.push(v as SqlParam);
    }
    const rows = await this.#db.all<DocRow>(
      `SELECT id, doc, revision, created_at, updated_at FROM ${this.#spec.table}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map((r) => this.#decode(r));
  }

  async get(id: string): Promise<(I & Revisioned) | undefined> {
    const [row] = await this.#db.all<DocRow>(
      `SELECT id, doc, revision, created_at, updated_at FROM ${this.#spec.table} WHERE id = ?`,
      [id],
    );
    return row && this.#decode(row);
  }

  async put(input: I, expectedRevision?: number): Promise<I & Revisioned> {
    const { project, ...rest } = input;
    if (typeof project !== 'string' || project === '' || !this.#check.Check(rest)) {
      const first = this.#check.Errors(rest)[0];
      throw MetadataErrors.INVALID.create([
        `${this.#spec.kind} ${String(input.id)}`,
        first ? `${first.instancePath || '/'} ${first.message}` : 'project must be a non-empty string',
      ]);
    }
    const now = this.#db.clock.now();
    const cols = this.#spec.columns;
    const values = cols.map((c) => (input[c] ?? null) as SqlParam);
    const doc = JSON.stringify(input);
    try {
      if (expectedRevision === undefined) {
        const [row] = await this.#db.all<DocRow>(
          `INSERT INTO ${this.#spec.table} (${['id', 'project', ...cols, 'doc'].join(', ')}, revision, created_at, updated_at)
           VALUES (${['id', 'project', ...cols, 'doc'].map(() => '?').join(', ')}, 1, ?, ?)
           RETURNING id, doc, revision, created_at, updated_at`,
          [input.id, project, ...values, doc, now, now],
        );
        return this.#decode(row!);
      }
      const [row] = await this.#db.all<DocRow>(
        `UPDATE ${this.#spec.table} SET ${['project', ...cols, 'doc'].map((c) => `${c} = ?`).join(', ')},
           revision = revision + 1, updated_at = ?
         WHERE id = ? AND revision = ? RETURNING id, doc, revision, created_at, updated_at`,
        [project, ...values, doc, now, input.id, expectedRevision],
      );
      return row ? this.#decode(row) : await this.#refused(input.id, expectedRevision);
    } catch (err) {
      if (!this.#db.isUniqueViolation(err)) throw err;
      throw MetadataErrors.DUPLICATE.create([this.#spec.kind, input.id], undefined, err);
    }
  }

  async delete(id: string, expectedRevision?: number): Promise<void> {
    const guard = this.#spec.inUse ? ` AND NOT EXISTS (${this.#spec.inUse.sql})` : '';
    const params: SqlParam[] = [id];
    let sql = `DELETE FROM ${this.#spec.table} WHERE id = ?`;
    if (expectedRevision !== undefined) {
      sql += ' AND revision = ?';
      params.push(expectedRevision);
    }
    if (this.#spec.inUse) params.push(id);
    if ((await this.#db.run(sql + guard, params)) > 0) return;
    if (this.#spec.inUse && (await this.#db.all(this.#spec.inUse.sql, [id])).length > 0) {
      throw MetadataErrors.IN_USE.create([this.#spec.kind, id, this.#spec.inUse.user]);
    }
    await this.#refused(id, expectedRevision);
  }

  async #refused(id: string, expected: number | undefined): Promise<never> {
    const current = await this.get(id);
    if (!current) throw MetadataErrors.NOT_FOUND.create([this.#spec.kind, id]);
    throw MetadataErrors.REVISION_CONFLICT.create([this.#spec.kind, id, current.revision, expected ?? '?'], {
      revision: current.revision,
    });
  }

  #decode(r: DocRow): I & Revisioned {
    return {
      ...(this.#db.json(r.doc) as I),
      revision: Number(r.revision),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }
}
