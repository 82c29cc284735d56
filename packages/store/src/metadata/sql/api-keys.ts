import { randomUUID } from 'node:crypto';
import { MetadataErrors } from '../errors.js';
import type { ApiKey, ApiKeyInput, ApiKeyRepository, ProjectFilter } from '../types.js';
import type { SqlExecutor } from './executor.js';
import { newToken, tokenId, tokenMatches } from './tokens.js';

interface KeyRow {
  id: string;
  project: string;
  name: string;
  role: string;
  created_by: string;
  prefix: string;
  hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, project, name, role, created_by, prefix, hash, created_at, expires_at, revoked_at';
/** Keys read `wsk_<prefix>_<secret>` (tokens.ts): the prefix finds the row. */
const KIND = 'wsk';

export class SqlApiKeys implements ApiKeyRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async create(input: ApiKeyInput): Promise<{ apiKey: ApiKey; key: string }> {
    const { id: prefix, token: key, hash } = newToken(KIND);
    const [row] = await this.#db.all<KeyRow>(
      `INSERT INTO $S.md_api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        input.project,
        input.name,
        input.role,
        input.createdBy,
        prefix,
        hash,
        this.#db.clock.now(),
        input.expiresAt ?? null,
      ],
    );
    return { apiKey: decode(row!), key };
  }

  async verify(key: string): Promise<ApiKey | undefined> {
    const prefix = tokenId(KIND, key);
    if (prefix === undefined) return undefined;
    const [row] = await this.#db.all<KeyRow>(`SELECT ${COLUMNS} FROM $S.md_api_keys WHERE prefix = ?`, [
      prefix,
    ]);
    if (!row || !tokenMatches(key, row.hash) || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && this.#db.clock.now() >= Number(row.expires_at)) return undefined;
    return decode(row);
  }

  async revoke(id: string): Promise<ApiKey> {
    const [row] = await this.#db.all<KeyRow>(
      `UPDATE $S.md_api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING ${COLUMNS}`,
      [this.#db.clock.now(), id],
    );
    if (!row) throw MetadataErrors.NOT_FOUND.create(['API key', id]);
    return decode(row);
  }

  async list(filter: ProjectFilter = {}): Promise<ApiKey[]> {
    const rows =
      filter.project === undefined
        ? await this.#db.all<KeyRow>(`SELECT ${COLUMNS} FROM $S.md_api_keys ORDER BY created_at, id`)
        : await this.#db.all<KeyRow>(
            `SELECT ${COLUMNS} FROM $S.md_api_keys WHERE project = ? ORDER BY created_at, id`,
            [filter.project],
          );
    return rows.map(decode);
  }
}

function decode(r: KeyRow): ApiKey {
  return {
    id: r.id,
    project: r.project,
    name: r.name,
    role: r.role,
    createdBy: r.created_by,
    prefix: r.prefix,
    createdAt: Number(r.created_at),
    ...(r.expires_at !== null && { expiresAt: Number(r.expires_at) }),
    ...(r.revoked_at !== null && { revokedAt: Number(r.revoked_at) }),
  };
}
