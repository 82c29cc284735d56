import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { MetadataErrors } from '../errors.js';
import type { ApiKey, ApiKeyInput, ApiKeyRepository, ProjectFilter } from '../types.js';
import type { SqlExecutor } from './executor.js';

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

/** `wsk_<prefix>_<secret>`: the prefix finds the row, the whole key is what is hashed. */
const KEY_FORMAT = /^wsk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * A key carries 256 random bits, so one SHA-256 is enough to store it: a slow password hash
 * only matters for secrets a person chose and an attacker can guess.
 */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class SqlApiKeys implements ApiKeyRepository {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  async create(input: ApiKeyInput): Promise<{ apiKey: ApiKey; key: string }> {
    const prefix = randomBytes(6).toString('hex');
    const key = `wsk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const [row] = await this.#db.all<KeyRow>(
      `INSERT INTO $S.md_api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING ${COLUMNS}`,
      [
        randomUUID(),
        input.project,
        input.name,
        input.role,
        input.createdBy,
        prefix,
        hashKey(key),
        this.#db.clock.now(),
        input.expiresAt ?? null,
      ],
    );
    return { apiKey: decode(row!), key };
  }

  async verify(key: string): Promise<ApiKey | undefined> {
    const m = KEY_FORMAT.exec(key);
    if (!m) return undefined;
    const [row] = await this.#db.all<KeyRow>(`SELECT ${COLUMNS} FROM $S.md_api_keys WHERE prefix = ?`, [
      m[1]!,
    ]);
    if (!row) return undefined;
    // Constant-time: the comparison must not tell an attacker how much of a guess was right.
    const ok = timingSafeEqual(Buffer.from(hashKey(key), 'hex'), Buffer.from(row.hash, 'hex'));
    if (!ok || row.revoked_at !== null) return undefined;
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
