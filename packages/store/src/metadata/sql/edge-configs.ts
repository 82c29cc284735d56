import { MetadataErrors } from '../errors.js';
import type { EdgeConfigInput, EdgeConfigRepository, EdgeConfigVersion, Json } from '../types.js';
import { bit, flag, type SqlExecutor } from './executor.js';

interface ConfigRow {
  node: string;
  version: number;
  project: string;
  config: unknown;
  checksum: string;
  author: string;
  created_at: number;
  ack_at: number | null;
  ack_ok: unknown;
  ack_detail: string | null;
}

const COLUMNS = 'node, version, project, config, checksum, author, created_at, ack_at, ack_ok, ack_detail';

export class SqlEdgeConfigs implements EdgeConfigRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async append(input: EdgeConfigInput): Promise<EdgeConfigVersion> {
    if (!Number.isSafeInteger(input.version) || input.version < 1) {
      throw MetadataErrors.INVALID.create([
        'edge config version',
        `${input.version} is not a positive integer`,
      ]);
    }
    try {
      const [row] = await this.#db.all<ConfigRow>(
        `INSERT INTO $S.md_edge_configs (node, version, project, config, checksum, author, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
        [
          input.node,
          input.version,
          input.project,
          JSON.stringify(input.config),
          input.checksum,
          input.author,
          this.#db.clock.now(),
        ],
      );
      return this.#decode(row!);
    } catch (err) {
      if (!this.#db.isUniqueViolation(err)) throw err;
      throw MetadataErrors.DUPLICATE.create(
        ['edge config', `${input.node} version ${input.version}`],
        undefined,
        err,
      );
    }
  }

  async list(node: string): Promise<EdgeConfigVersion[]> {
    const rows = await this.#db.all<ConfigRow>(
      `SELECT ${COLUMNS} FROM $S.md_edge_configs WHERE node = ? ORDER BY version DESC`,
      [node],
    );
    return rows.map((r) => this.#decode(r));
  }

  async get(node: string, version: number): Promise<EdgeConfigVersion | undefined> {
    const [row] = await this.#db.all<ConfigRow>(
      `SELECT ${COLUMNS} FROM $S.md_edge_configs WHERE node = ? AND version = ?`,
      [node, version],
    );
    return row && this.#decode(row);
  }

  async latest(node: string): Promise<EdgeConfigVersion | undefined> {
    const [row] = await this.#db.all<ConfigRow>(
      `SELECT ${COLUMNS} FROM $S.md_edge_configs WHERE node = ? ORDER BY version DESC LIMIT 1`,
      [node],
    );
    return row && this.#decode(row);
  }

  async setAck(
    node: string,
    version: number,
    result: { ok: boolean; detail?: string },
  ): Promise<EdgeConfigVersion> {
    const [row] = await this.#db.all<ConfigRow>(
      `UPDATE $S.md_edge_configs SET ack_at = ?, ack_ok = ?, ack_detail = ?
       WHERE node = ? AND version = ? RETURNING ${COLUMNS}`,
      [this.#db.clock.now(), bit(result.ok), result.detail ?? null, node, version],
    );
    if (!row) throw MetadataErrors.NOT_FOUND.create(['edge config', `${node} version ${version}`]);
    return this.#decode(row);
  }

  #decode(r: ConfigRow): EdgeConfigVersion {
    const v: EdgeConfigVersion = {
      node: r.node,
      version: Number(r.version),
      project: r.project,
      config: this.#db.json(r.config) as Json,
      checksum: r.checksum,
      author: r.author,
      createdAt: Number(r.created_at),
    };
    if (r.ack_at !== null) {
      v.ack = {
        ok: flag(r.ack_ok),
        at: Number(r.ack_at),
        ...(r.ack_detail !== null && { detail: r.ack_detail }),
      };
    }
    return v;
  }
}
